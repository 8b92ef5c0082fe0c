/// Exit codes of the `dolbom` command, documented in `--help` and the README
/// (BSD sysexits where one fits). They live in the core so the run history
/// records the same code the shell sees.
public enum DolbomExitCode {
    public static let ok: Int32 = 0
    public static let rowsRejected: Int32 = 3
    public static let usage: Int32 = 64
    public static let inputUnreadable: Int32 = 65
    public static let noInput: Int32 = 66
    public static let internalError: Int32 = 70
    public static let cannotWrite: Int32 = 73
    public static let locked: Int32 = 75
    public static let config: Int32 = 78

    public static func of(_ error: RunError) -> Int32 {
        switch error {
        case .noInputs, .inputs: return noInput
        case .invariantBroken: return internalError
        case .cannotWrite: return cannotWrite
        case .legalDongCodes, .decisions, .roster, .addressDB, .facilities: return config
        case .state(.locked): return locked
        case .state: return cannotWrite
        }
    }

    public static func of(_ outcome: RunOutcome, strict: Bool) -> Int32 {
        switch outcome {
        case .inputUnreadable: return inputUnreadable
        case .rowsRejected: return strict ? rowsRejected : ok
        case .ok: return ok
        }
    }
}
