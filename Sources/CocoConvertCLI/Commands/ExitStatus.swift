/// Exit statuses (sysexits.h where one fits).
enum ExitStatus {
    static let success: Int32 = 0
    /// Something else failed: the output could not be written (disk full, permissions).
    static let failure: Int32 = 1
    /// EX_USAGE: the command line is wrong.
    static let usage: Int32 = 64
    /// EX_DATAERR: the input data is wrong.
    static let data: Int32 = 65
}
