using System.Globalization;
using RecoveryStudy.Participants;
using RecoveryStudy.Studies;

namespace RecoveryStudy.Enrollment;

/// <summary>
/// Creates a participant from a roster row, or brings a stored one in line with it and says
/// what changed. Change texts name codes and dates, never an address or a name.
/// </summary>
internal static class RosterChanges
{
    public static Participant Create(int studyId, RosterEntry entry, Cohort? cohort, DateOnly today, DateTime now) => new()
    {
        StudyId = studyId,
        Code = entry.Code,
        Role = entry.Role,
        Language = entry.Language,
        TimeZone = entry.TimeZone,
        Cohort = cohort,
        EnrolledOn = today,
        CreatedAt = now,
        UpdatedAt = now,
        Contact = new ContactDetails { StudyId = studyId, Email = entry.Email, Name = entry.Name, FirstName = entry.FirstName.Value, UpdatedAt = now },
        Anchors = [.. entry.Anchors.Where(a => a.Value is not null).Select(a => new ParticipantAnchor { Name = a.Key, Date = a.Value!.Value })],
        Flags = [.. entry.Flags.Where(f => f.Value).Select(f => f.Key).Order(StringComparer.Ordinal)],
    };

    /// <summary>Applies the row to the participant; true when anything changed (then UpdatedAt is set, for the planner).</summary>
    public static bool Apply(Participant participant, RosterEntry entry, Cohort? cohort, DateTime now, List<string> changes)
    {
        var said = new List<string>();
        if (participant.Role != entry.Role)
        {
            said.Add($"role {participant.Role} -> {entry.Role}");
            participant.Role = entry.Role;
        }
        if (participant.Language != entry.Language)
        {
            said.Add($"language {participant.Language} -> {entry.Language}");
            participant.Language = entry.Language;
        }
        if (participant.TimeZone != entry.TimeZone)
        {
            said.Add($"time zone {participant.TimeZone} -> {entry.TimeZone}");
            participant.TimeZone = entry.TimeZone;
        }
        if (participant.Cohort?.Code != cohort?.Code)
        {
            said.Add($"cohort {participant.Cohort?.Code ?? "(none)"} -> {cohort?.Code ?? "(none)"}");
            participant.Cohort = cohort;
            participant.CohortId = cohort?.Id;
        }
        Contact(participant, entry, now, said);
        Anchors(participant, entry, said);
        Flags(participant, entry, said);
        if (said.Count == 0)
        {
            return false;
        }
        participant.UpdatedAt = now;
        changes.Add($"{participant.Code}: {string.Join("; ", said)}");
        return true;
    }

    private static void Contact(Participant participant, RosterEntry entry, DateTime now, List<string> said)
    {
        var contact = participant.Contact;
        if (contact is null)
        {
            participant.Contact = new ContactDetails { StudyId = participant.StudyId, Email = entry.Email, Name = entry.Name, FirstName = entry.FirstName.Value, UpdatedAt = now };
            said.Add("contact details added");
            return;
        }
        var before = said.Count;
        if (contact.Email != entry.Email)
        {
            contact.Email = entry.Email;
            said.Add("email changed");
        }
        if (contact.Name != entry.Name)
        {
            contact.Name = entry.Name;
            said.Add("name changed");
        }
        if (entry.FirstName.Given && contact.FirstName != entry.FirstName.Value)
        {
            contact.FirstName = entry.FirstName.Value;
            said.Add("first name changed");
        }
        if (said.Count > before)
        {
            contact.UpdatedAt = now;
        }
    }

    private static void Anchors(Participant participant, RosterEntry entry, List<string> said)
    {
        foreach (var (name, date) in entry.Anchors)
        {
            var stored = participant.Anchors.FirstOrDefault(a => a.Name == name);
            if (date is null && stored is not null)
            {
                participant.Anchors.Remove(stored);
                said.Add($"own {name} date {Text(stored.Date)} removed (the cohort's date applies; future sends only)");
            }
            else if (date is { } value && stored is null)
            {
                participant.Anchors.Add(new ParticipantAnchor { Name = name, Date = value });
                said.Add($"{name} set to {Text(value)} (future sends only)");
            }
            else if (date is { } moved && stored is not null && stored.Date != moved)
            {
                said.Add($"{name} moved from {Text(stored.Date)} to {Text(moved)} (future sends only)");
                stored.Date = moved;
            }
        }
    }

    /// <summary>Only the flag columns the roster has; a flag it does not name stays as it is.</summary>
    private static void Flags(Participant participant, RosterEntry entry, List<string> said)
    {
        var flags = participant.Flags.ToHashSet(StringComparer.Ordinal);
        foreach (var (name, set) in entry.Flags)
        {
            if (set && flags.Add(name))
            {
                said.Add($"flag {name} set");
            }
            else if (!set && flags.Remove(name))
            {
                said.Add($"flag {name} cleared");
            }
        }
        if (!flags.SetEquals(participant.Flags))
        {
            participant.Flags = [.. flags.Order(StringComparer.Ordinal)];
        }
    }

    private static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
