/// How hard a commit tries to reach the disk before `append` returns.
public enum Durability: String, Sendable, CaseIterable {
    /// Every commit is fsynced (data and meta page). An acknowledged append survives a power cut.
    case durable
    /// `MDB_NOMETASYNC`: data pages are synced, the meta page is not. A power cut can lose the
    /// last acknowledged commits (the database stays consistent: it rolls back to the previous
    /// synced meta page); a process crash loses nothing.
    case relaxed
}
