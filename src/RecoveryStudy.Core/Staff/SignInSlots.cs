using Dapper;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;

namespace RecoveryStudy.Staff;

/// <summary>
/// The lock-out counter, kept in the database so that parallel attempts cannot outrun it: an
/// attempt takes a slot (counts as failed) in one statement before its password is checked,
/// and the attempt that takes the last slot locks the account. So at most the allowed number
/// of passwords are checked per lock window, however many requests arrive at once.
/// </summary>
public static class SignInSlots
{
    /// <summary>What the statement found for an address.</summary>
    public sealed class Outcome
    {
        /// <summary>null: no account with this address.</summary>
        public int? UserId { get; init; }
        public bool Disabled { get; init; }

        /// <summary>null: no slot (disabled or locked); otherwise the hash to check the password against.</summary>
        public string? PasswordHash { get; init; }

        /// <summary>This attempt took the last slot and locked the account.</summary>
        public bool Locking { get; init; }
    }

    // The row lock taken by the UPDATE serializes concurrent attempts on one account; each
    // re-reads the row another just changed. A lock whose time has passed starts a new count.
    // The outer SELECT reads the row as it was before the update, which only matters for
    // telling a disabled account from a locked one.
    private const string TakeSql = """
        WITH slot AS (
            UPDATE staff_users
            SET failed_sign_ins = CASE WHEN locked_until IS NULL THEN failed_sign_ins + 1 ELSE 1 END,
                locked_until = CASE WHEN (CASE WHEN locked_until IS NULL THEN failed_sign_ins + 1 ELSE 1 END) >= @max
                                    THEN @lockUntil END
            WHERE email = @email AND NOT disabled AND (locked_until IS NULL OR locked_until <= @now)
            RETURNING id, password_hash, locked_until IS NOT NULL AS locking
        )
        SELECT u.id AS user_id, u.disabled, slot.password_hash, coalesce(slot.locking, false) AS locking
        FROM staff_users u LEFT JOIN slot ON slot.id = u.id
        WHERE u.email = @email
        """;

    /// <summary>Takes a slot for a sign-in attempt on this address; commits at once (no ambient transaction).</summary>
    public static async Task<Outcome> TakeAsync(StudyDbContext db, string email, int maxFailed, TimeSpan lockout, DateTime now, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var found = await connection.QuerySingleOrDefaultAsync<Outcome>(new CommandDefinition(TakeSql,
            new { email, max = maxFailed, now, lockUntil = now + lockout }, cancellationToken: ct));
        return found ?? new Outcome();
    }

    /// <summary>After the right password: the count starts again, any lock ends, the sign-in time is kept.</summary>
    public static Task ResetAsync(StudyDbContext db, int userId, DateTime now, CancellationToken ct) =>
        db.StaffUsers.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u
            .SetProperty(x => x.FailedSignIns, 0)
            .SetProperty(x => x.LockedUntil, (DateTime?)null)
            .SetProperty(x => x.LastSignInAt, now), ct);
}
