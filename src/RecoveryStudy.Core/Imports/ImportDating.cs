using Microsoft.EntityFrameworkCore;
using NodaTime;
using RecoveryStudy.Data;
using RecoveryStudy.Scheduling;

namespace RecoveryStudy.Imports;

/// <summary>The dates an imported invitation gets: its due date and the window around it, in UTC.</summary>
public sealed record ImportedInvitationDates(DateOnly DueDate, DateTime OpensAt, DateTime ClosesAt);

/// <summary>
/// Dates the invitations an answer import creates by the plan, with the scheduler's own arithmetic
/// (<see cref="ScheduleMath"/>, <see cref="ParticipantPlanner.Window"/>): the wave's anchor date for
/// the participant plus its offset, or the due date the file gives. Never the day of the import,
/// which would put every imported answer months away from the time-since-baseline it belongs to.
/// </summary>
internal sealed class ImportDating
{
    private readonly PlanState state;
    private readonly PlanWave wave;

    private ImportDating(PlanState state, PlanWave wave)
    {
        this.state = state;
        this.wave = wave;
    }

    public static async Task<ImportDating> LoadAsync(StudyDbContext db, int studyId, int waveId, int[] participantIds, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var state = await PlanState.LoadAsync(db.Database.GetDbConnection(), null, participantIds);
            var wave = state.WavesByStudy[studyId].FirstOrDefault(w => w.Id == waveId)
                ?? throw new InvalidOperationException($"wave {waveId} has no plan row");
            return new ImportDating(state, wave);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The anchor the wave is counted from, for messages.</summary>
    public string Anchor => wave.Anchor;

    /// <summary>The dates by the file's due date when given, else by the plan; null when the participant has no date for the wave's anchor.</summary>
    public ImportedInvitationDates? For(int participantId, DateOnly? given)
    {
        var row = state.Participants.FirstOrDefault(p => p.Id == participantId);
        if (row is null)
        {
            return null;
        }
        var participant = state.ToPlanParticipant(row);
        LocalDate due;
        if (given is { } date)
        {
            due = ScheduleMath.ToLocalDate(date);
        }
        else if (ParticipantPlanner.AnchorDate(participant, wave.Anchor) is { } anchor)
        {
            due = ScheduleMath.DueDate(anchor, wave.OffsetValue, wave.OffsetUnit);
        }
        else
        {
            return null;
        }
        var (opens, closes) = ParticipantPlanner.Window(participant.Rules, wave, due);
        return new ImportedInvitationDates(ScheduleMath.ToDateOnly(due), ScheduleMath.ToUtc(opens), ScheduleMath.ToUtc(closes));
    }
}
