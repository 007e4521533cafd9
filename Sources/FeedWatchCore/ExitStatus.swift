/// Exit statuses systemd and scripts read (SPEC §2).
public enum ExitStatus {
    public static let ok: Int32 = 0
    public static let failure: Int32 = 1
    public static let usage: Int32 = 64
    public static let config: Int32 = 78
}
