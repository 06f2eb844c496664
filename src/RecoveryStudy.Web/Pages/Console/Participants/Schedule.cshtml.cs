using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Participants;

/// <summary>
/// The schedule preview: what the planner would decide for this participant now (every wave's
/// due date, window, status and each email with its moment), computed by the same pure function
/// the plan job uses, without writing anything.
/// </summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class ScheduleModel(StudyDbContext db, NpgsqlDataSource dataSource, TimeProvider clock) : PageModel
{
    public StudyNav Nav { get; private set; } = null!;
    public string Code { get; private set; } = "";
    public int ParticipantId { get; private set; }
    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;
    public IReadOnlyList<PlannedInvitation> Plan { get; private set; } = [];
    public string? NoEmailReason { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var participant = await db.Participants.AsNoTracking().Where(p => p.Id == id).Select(p => new { p.Id, p.Code, p.StudyId }).SingleOrDefaultAsync(ct);
        if (participant is null)
        {
            return NotFound();
        }
        Nav = (await StudyNav.LoadAsync(db, participant.StudyId, "participants", ct))!;
        Code = participant.Code;
        ParticipantId = participant.Id;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var state = await PlanState.LoadAsync(connection, null, [id]);
        var row = state.Participants.Single();
        var planned = state.ToPlanParticipant(row);
        Zone = planned.Rules.Zone;
        NoEmailReason = planned.NoEmailReason;
        Plan = ParticipantPlanner.Plan(planned, state.WavesByStudy[row.StudyId], state.Invitations[id].ToList(), state.Messages[id].ToList(), clock.Now());
        return Page();
    }
}
