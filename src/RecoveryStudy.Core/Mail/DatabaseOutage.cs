using Npgsql;

namespace RecoveryStudy.Mail;

/// <summary>
/// Telling a database that does not answer (restarting, unreachable, the session cut) from a
/// statement that is wrong, and waiting for the database to answer again. A batch's outcomes
/// and claims are held in memory across such an outage, not dropped: an email the relay took is
/// recorded once the database is back instead of being released to go out a second time.
/// </summary>
internal static class DatabaseOutage
{
    private static readonly TimeSpan FirstWait = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(2);

    /// <summary>Whether <paramref name="e"/> says the database is away rather than that the statement failed.</summary>
    public static bool Is(Exception e) => e switch
    {
        // 57P: shutdown, crash or restart of the server; 08: connection exceptions; the rest Npgsql calls transient.
        PostgresException p => p.IsTransient || p.SqlState.StartsWith("57P", StringComparison.Ordinal) || p.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException => true,
        TimeoutException or System.Net.Sockets.SocketException or IOException => true,
        _ => false,
    };

    /// <summary>
    /// Runs <paramref name="work"/> on <paramref name="connection"/>; while the database is away it
    /// waits and runs it again on a new connection, for up to <paramref name="horizon"/>, then lets
    /// the outage's exception through. Returns the connection that worked (the caller keeps it).
    /// <paramref name="onOutage"/> runs once, at the first failure. The work must be safe to run twice
    /// (every outcome write is guarded by the claim, so a write that did commit changes nothing more).
    /// </summary>
    public static async Task<NpgsqlConnection> RunAsync(NpgsqlDataSource dataSource, NpgsqlConnection connection,
        Func<NpgsqlConnection, Task> work, Func<NpgsqlConnection, Task>? prepare, TimeSpan horizon, Func<Task>? onOutage)
    {
        var deadline = DateTime.UtcNow + horizon;
        var wait = FirstWait;
        var first = true;
        while (true)
        {
            try
            {
                await work(connection);
                return connection;
            }
            catch (Exception e) when (Is(e) && DateTime.UtcNow < deadline)
            {
                if (first && onOutage is not null)
                {
                    await onOutage();
                }
                first = false;
            }
            connection = await ReconnectAsync(dataSource, connection, prepare, deadline, wait);
            wait = wait * 2 < LongestWait ? wait * 2 : LongestWait;
        }
    }

    /// <summary>A new connection once the database answers (the old one is dropped), or the last error after the deadline.</summary>
    private static async Task<NpgsqlConnection> ReconnectAsync(NpgsqlDataSource dataSource, NpgsqlConnection broken,
        Func<NpgsqlConnection, Task>? prepare, DateTime deadline, TimeSpan wait)
    {
        await broken.DisposeAsync();
        while (true)
        {
            await Task.Delay(wait);
            NpgsqlConnection? fresh = null;
            try
            {
                fresh = await dataSource.OpenConnectionAsync();
                if (prepare is not null)
                {
                    await prepare(fresh);
                }
                return fresh;
            }
            catch (Exception e) when (Is(e) && DateTime.UtcNow < deadline)
            {
                if (fresh is not null)
                {
                    await fresh.DisposeAsync();
                }
                // Pooled connections broken by the restart fail one by one; they are dropped as they do.
            }
        }
    }
}
