/// A value in one immutable heap box, shared by every copy: a model value that travels through the
/// pipeline (a household, an address, a contact window) then costs one reference to copy instead of
/// hundreds of bytes. Immutable once made: a `let` of a class is memory the optimizer knows no one
/// writes, so a getter inlined into a reader borrows a part from the box instead of retaining a copy.
public final class Shared<Value: Sendable>: Sendable {
    public let value: Value

    @inlinable public init(_ value: Value) { self.value = value }
}

/// Two boxes are equal when their values are: a box is a way to hold a value, not an identity.
extension Shared: Equatable where Value: Equatable {
    @inlinable public static func == (a: Shared, b: Shared) -> Bool { a === b || a.value == b.value }
}

extension Shared: Hashable where Value: Hashable {
    @inlinable public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

/// A `Shared` box in a variable: read in place; a change copies the value into a new box (changes are
/// rare: the model values are built whole, then read many times).
public struct SharedBox<Value: Sendable>: Sendable {
    @usableFromInline var box: Shared<Value>

    @inlinable public init(_ value: Value) { box = Shared(value) }

    @inlinable public var value: Value {
        _read { yield box.value }
        _modify {
            var changed = box.value
            yield &changed
            box = Shared(changed)
        }
    }

    /// Whether both hold the very same box (then their values are equal without comparing them).
    @inlinable public func sharesBox(with other: SharedBox<Value>) -> Bool { box === other.box }
}

/// Equal when the values are, like `Shared`.
extension SharedBox: Equatable where Value: Equatable {
    @inlinable public static func == (a: SharedBox, b: SharedBox) -> Bool { a.box == b.box }
}

extension SharedBox: Hashable where Value: Hashable {
    @inlinable public func hash(into hasher: inout Hasher) { hasher.combine(box) }
}
