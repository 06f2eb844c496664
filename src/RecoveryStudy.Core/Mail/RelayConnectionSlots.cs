using Dapper;
using Npgsql;

namespace RecoveryStudy.Mail;

/// <summary>
/// The relay's connection slots (<see cref="MailOptions.ConnectionsPerRelay"/>), leased in
/// relay_connection_slots: a dispatch run sends only while it holds one, renews it after every
/// batch and gives it back when it ends. A node that dies keeps its slot only until the lease runs
/// out. Hangfire may start a job twice; the slot, not the job, bounds the connections.
/// </summary>
internal static class RelayConnectionSlots
{
    /// <summary>Takes a free (or expired) slot for <paramref name="holder"/>; null when all are held.</summary>
    public static async Task<int?> TakeAsync(NpgsqlDataSource dataSource, string relay, string holder, int slots, TimeSpan lease, DateTime now,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<int?>(
            """
            INSERT INTO relay_connection_slots (relay, slot) SELECT @relay, g FROM generate_series(0, @slots - 1) g ON CONFLICT DO NOTHING;
            UPDATE relay_connection_slots SET held_by = @holder, held_until = @until
            WHERE relay = @relay AND slot = (
                SELECT slot FROM relay_connection_slots
                WHERE relay = @relay AND slot < @slots AND (held_by IS NULL OR held_until < @now OR held_by = @holder)
                ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING slot
            """, new { relay, holder, slots, until = now + lease, now });
    }

    /// <summary>Extends the lease; false when the slot was lost (the lease ran out and another run took it).</summary>
    public static async Task<bool> RenewAsync(NpgsqlDataSource dataSource, string relay, int slot, string holder, TimeSpan lease, DateTime now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteAsync(
            "UPDATE relay_connection_slots SET held_until = @until WHERE relay = @relay AND slot = @slot AND held_by = @holder",
            new { relay, slot, holder, until = now + lease }) == 1;
    }

    public static async Task ReleaseAsync(NpgsqlDataSource dataSource, string relay, int slot, string holder)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "UPDATE relay_connection_slots SET held_by = NULL, held_until = NULL WHERE relay = @relay AND slot = @slot AND held_by = @holder",
            new { relay, slot, holder });
    }
}
