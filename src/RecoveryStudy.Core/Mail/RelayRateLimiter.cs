using System.Data.Common;
using Dapper;

namespace RecoveryStudy.Mail;

/// <summary>
/// The relay's quotas, held by every node together through PostgreSQL (docs/design.md, "Relay
/// quota across nodes"). Two rules, both checked under the lock of the relay's mail_relays row,
/// which serialises the grant between nodes for the claiming transaction only:
/// <list type="bullet">
/// <item>Pacing (a generic cell rate algorithm): each permit moves the row's "next free" moment on
/// by 60/rate seconds, and a claim may run at most <see cref="MailOptions.BurstSeconds"/> ahead, so
/// sending is spread over the minute instead of one burst.</item>
/// <item>The hard quotas: every grant is logged as one block in relay_permits; a claim gets no more
/// than <see cref="MailOptions.RatePerMinute"/> minus the permits granted in the last 60 s plus
/// <see cref="MailOptions.RateWindowMargin"/>, and no more than <see cref="MailOptions.RatePerDay"/>
/// minus those of the last 24 hours. A send starts at most the margin after its grant (the send
/// stage drops a permit older than that), so no 60-second window at the relay sees more than the
/// per-minute quota.</item>
/// </list>
/// Cost: three statements per claim part (lock, count, record), none per email.
/// </summary>
internal static class RelayRateLimiter
{
    public static readonly TimeSpan Day = TimeSpan.FromHours(24);

    /// <summary>How many of <paramref name="wanted"/> sends may start now, and when the next permit is free.</summary>
    public static async Task<(int Granted, DateTime NextFreeAt)> AcquireAsync(DbConnection connection, DbTransaction transaction,
        string relay, int wanted, MailOptions options, DateTime now)
    {
        await connection.ExecuteAsync(
            "INSERT INTO mail_relays (name, next_free_at) VALUES (@relay, @now) ON CONFLICT (name) DO NOTHING",
            new { relay, now }, transaction);
        var nextFree = await connection.ExecuteScalarAsync<DateTime>(
            "SELECT next_free_at FROM mail_relays WHERE name = @relay FOR UPDATE", new { relay }, transaction);
        if (options.RatePerMinute <= 0 && options.RatePerDay <= 0 || wanted == 0)
        {
            return (wanted, now);
        }
        var (granted, newNextFree, pacedUntil) = Paced(nextFree, wanted, options, now);
        var (room, roomAt) = await QuotaRoomAsync(connection, transaction, relay, options, now);
        if (granted > room)
        {
            granted = Math.Max(0, room);
            newNextFree = nextFree > now ? nextFree : now;
            newNextFree += options.RatePerMinute > 0 ? TimeSpan.FromMinutes(1) / options.RatePerMinute * granted : TimeSpan.Zero;
            pacedUntil = roomAt;
        }
        if (granted > 0)
        {
            await connection.ExecuteAsync(
                """
                UPDATE mail_relays SET next_free_at = @newNextFree WHERE name = @relay;
                INSERT INTO relay_permits (relay, granted_at, count) VALUES (@relay, @now, @granted);
                DELETE FROM relay_permits WHERE relay = @relay AND granted_at < @expired;
                """,
                new { relay, newNextFree, now, granted, expired = now - Day - options.RateWindowMargin }, transaction);
        }
        return (granted, pacedUntil);
    }

    /// <summary>The grant the pacing rule allows, the row's next "next free" moment, and when the next permit is free after it.</summary>
    private static (int Granted, DateTime NewNextFree, DateTime NextFreeAt) Paced(DateTime nextFree, int wanted, MailOptions options, DateTime now)
    {
        if (options.RatePerMinute <= 0)
        {
            return (wanted, nextFree, now);
        }
        var interval = TimeSpan.FromMinutes(1) / options.RatePerMinute;
        var start = nextFree > now ? nextFree : now;
        var room = now + TimeSpan.FromSeconds(options.BurstSeconds) - start;
        var granted = room < TimeSpan.Zero ? 0 : Math.Min(wanted, (int)(room / interval) + 1);
        var newNextFree = start + interval * granted;
        return (granted, granted > 0 ? newNextFree : start, granted > 0 ? newNextFree : start - TimeSpan.FromSeconds(options.BurstSeconds));
    }

    /// <summary>
    /// Permits left under the hard quotas now, and when more are free once they are used up: the
    /// moment the oldest block of the limiting window leaves it (read after the row lock, so every
    /// grant committed before it is counted).
    /// </summary>
    private static async Task<(int Room, DateTime RoomAt)> QuotaRoomAsync(DbConnection connection, DbTransaction transaction, string relay,
        MailOptions options, DateTime now)
    {
        var minuteWindow = TimeSpan.FromMinutes(1) + options.RateWindowMargin;
        var used = await connection.QuerySingleAsync<(long Minute, long Day, DateTime? OldestInMinute, DateTime? OldestInDay)>(
            """
            SELECT coalesce(sum(count) FILTER (WHERE granted_at > @minuteStart), 0),
                   coalesce(sum(count), 0),
                   min(granted_at) FILTER (WHERE granted_at > @minuteStart),
                   min(granted_at)
            FROM relay_permits WHERE relay = @relay AND granted_at > @dayStart
            """,
            new { relay, minuteStart = now - minuteWindow, dayStart = now - Day }, transaction);
        var room = int.MaxValue;
        var roomAt = now;
        if (options.RatePerMinute > 0)
        {
            room = (int)Math.Min(room, options.RatePerMinute - used.Minute);
            // Once this grant has taken what is left, more is free when the oldest block of the window leaves it.
            roomAt = (used.OldestInMinute ?? now) + minuteWindow;
        }
        if (options.RatePerDay > 0 && options.RatePerDay - used.Day <= room)
        {
            var dayAt = (used.OldestInDay ?? now) + Day;
            roomAt = options.RatePerDay - used.Day < room || dayAt > roomAt ? dayAt : roomAt;
            room = (int)(options.RatePerDay - used.Day);
        }
        return (room, roomAt);
    }
}
