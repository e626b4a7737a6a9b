using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Pipeline.Data;

/// <summary>Which constraint the database refused an insert for, on SQLite and PostgreSQL alike.</summary>
static class ConstraintViolation
{
    const int SqliteConstraint = 19;
    const int SqliteConstraintForeignKey = 787;
    const int SqliteConstraintPrimaryKey = 1555;
    const int SqliteConstraintUnique = 2067;

    /// <summary>True when the database refused the insert because a unique key (or primary key) already holds
    /// the row: SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY, or PostgreSQL's 23505. A foreign-key or NOT NULL failure
    /// is not one.</summary>
    public static bool IsUniqueViolation(this DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint
            && sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>True when the database refused the insert because a row it refers to does not exist:
    /// SQLITE_CONSTRAINT_FOREIGNKEY, or PostgreSQL's 23503.</summary>
    public static bool IsForeignKeyViolation(this DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint && sqlite.SqliteExtendedErrorCode == SqliteConstraintForeignKey,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.ForeignKeyViolation,
        _ => false,
    };
}
