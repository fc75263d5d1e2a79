//! The store's errors. The server maps them to HTTP statuses in one place; the CLI prints them.

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened or its URL is wrong.
    #[error("{0}")]
    Config(String),
    /// Nothing with that key exists (or the caller may not see it: the layers above never tell).
    #[error("not found")]
    NotFound,
    /// A write conflicts with what is stored (an id taken, a stale version).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A stored document could not be read back: the database was altered outside Liaison.
    #[error("stored data is unreadable ({0})")]
    Corrupt(String),
    /// A caller's input the store cannot use (a malformed cursor).
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}
