using System.Globalization;
using System.Text.Json;
using RecoveryStudy.Data;

namespace RecoveryStudy.Staff;

/// <summary>Who acts: a signed-in staff member, a participant through their link, the CLI, or the system.</summary>
public sealed record Actor(string Kind, int? StaffUserId = null)
{
    public static readonly Actor System = new("system");
    public static readonly Actor Cli = new("cli");
    public static readonly Actor Participant = new("participant");

    public static Actor Staff(int staffUserId) => new("staff", staffUserId);
}

/// <summary>
/// Adds audit entries to the current unit of work, so an entry is saved with the change it
/// describes or not at all. Details hold codes and counts, never answers or addresses.
/// </summary>
public static class AuditLog
{
    public static AuditEntry Add(StudyDbContext db, TimeProvider clock, Actor actor, string action,
        int? studyId = null, string? targetType = null, object? targetId = null, object? details = null)
    {
        var entry = new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            ActorKind = actor.Kind,
            StaffUserId = actor.StaffUserId,
            Action = action,
            StudyId = studyId,
            TargetType = targetType,
            TargetId = targetId is null ? null : Convert.ToString(targetId, CultureInfo.InvariantCulture),
            Details = details is null ? null : JsonSerializer.Serialize(details),
        };
        db.AuditEntries.Add(entry);
        return entry;
    }
}
