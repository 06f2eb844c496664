using System.Data.Common;
using Dapper;

namespace RecoveryStudy.Mail;

/// <summary>
/// The relay's rate limit, shared by every node through its row in mail_relays (a generic cell
/// rate algorithm): each permit moves the row's "next free" moment on by 60/rate seconds, and a
/// batch may run at most <see cref="MailOptions.BurstSeconds"/> ahead. The row lock taken here
/// serialises the grant between nodes; it is held only for the claiming transaction.
/// </summary>
internal static class RelayRateLimiter
{
    /// <summary>How many of <paramref name="wanted"/> sends may start now, and when the next permit is free.</summary>
    public static async Task<(int Granted, DateTime NextFreeAt)> AcquireAsync(DbConnection connection, DbTransaction transaction,
        string relay, int wanted, MailOptions options, DateTime now)
    {
        await connection.ExecuteAsync(
            "INSERT INTO mail_relays (name, next_free_at) VALUES (@relay, @now) ON CONFLICT (name) DO NOTHING",
            new { relay, now }, transaction);
        var nextFree = await connection.ExecuteScalarAsync<DateTime>(
            "SELECT next_free_at FROM mail_relays WHERE name = @relay FOR UPDATE", new { relay }, transaction);
        if (options.RatePerMinute <= 0 || wanted == 0)
        {
            return (wanted, now);
        }
        var interval = TimeSpan.FromMinutes(1) / options.RatePerMinute;
        var start = nextFree > now ? nextFree : now;
        var room = now + TimeSpan.FromSeconds(options.BurstSeconds) - start;
        var granted = room < TimeSpan.Zero ? 0 : Math.Min(wanted, (int)(room / interval) + 1);
        var newNextFree = start + interval * granted;
        if (granted > 0)
        {
            await connection.ExecuteAsync("UPDATE mail_relays SET next_free_at = @newNextFree WHERE name = @relay",
                new { relay, newNextFree }, transaction);
        }
        return (granted, granted > 0 ? newNextFree : start - TimeSpan.FromSeconds(options.BurstSeconds));
    }
}
