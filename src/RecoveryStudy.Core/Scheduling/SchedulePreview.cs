using System.Data.Common;
using Dapper;
using NodaTime;
using NodaTime.Text;
using Npgsql;
using RecoveryStudy.Data;

namespace RecoveryStudy.Scheduling;

/// <summary>One line of the dry run: an email that would go out (or went out), or a missed invitation and why.</summary>
public sealed record PreviewRow(string Participant, string Wave, string What, int Step, string Status, DateTime? AtUtc, string? AtLocal, string? TimeZone, string? Reason);

/// <summary>
/// The dry run: runs the planner over the study's participants exactly as the plan job would,
/// now, without writing anything, so a researcher can check a protocol before starting it.
/// </summary>
public static class SchedulePreview
{
    private static readonly LocalDateTimePattern LocalPattern = LocalDateTimePattern.CreateWithInvariantCulture("yyyy-MM-dd HH:mm (ddd)");

    public static async Task<IReadOnlyList<PreviewRow>?> RunAsync(NpgsqlDataSource dataSource, string studyCode, string? participantCode,
        DateOnly? from, DateOnly? to, Instant now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await RunAsync(connection, null, studyCode, participantCode, from, to, now, cancellationToken);
    }

    /// <summary>The dry run on a given connection, e.g. inside the rolled-back transaction of a protocol dry run.</summary>
    public static async Task<IReadOnlyList<PreviewRow>?> RunAsync(DbConnection connection, DbTransaction? transaction, string studyCode,
        string? participantCode, DateOnly? from, DateOnly? to, Instant now, CancellationToken cancellationToken)
    {
        var studyId = await connection.ExecuteScalarAsync<int?>("SELECT id FROM studies WHERE code = @studyCode", new { studyCode }, transaction);
        if (studyId is null)
        {
            return null;
        }
        var participants = (await connection.QueryAsync<(int Id, string Code)>(
            "SELECT id, code FROM participants WHERE study_id = @studyId AND (@participantCode::text IS NULL OR code = @participantCode) ORDER BY code",
            new { studyId, participantCode }, transaction)).ToList();
        var codes = participants.ToDictionary(p => p.Id, p => p.Code);
        var state = await PlanState.LoadAsync(connection, transaction, [.. participants.Select(p => p.Id)]);
        var rows = new List<PreviewRow>();
        foreach (var participant in state.Participants)
        {
            var plan = state.ToPlanParticipant(participant);
            var plans = ParticipantPlanner.Plan(plan, state.WavesByStudy[participant.StudyId], [.. state.Invitations[participant.Id]],
                [.. state.Messages[participant.Id]], now);
            foreach (var invitation in plans)
            {
                if (invitation.Status == InvitationStatus.Missed)
                {
                    rows.Add(new PreviewRow(codes[participant.Id], invitation.WaveCode, "missed", 0, InvitationStatus.Missed, null, null, null, invitation.Reason));
                    continue;
                }
                var stopped = plan.NoEmailReason;
                foreach (var email in invitation.Emails)
                {
                    var at = email.SentAt ?? email.DueAt;
                    var local = at.InZone(plan.Rules.Zone);
                    rows.Add(new PreviewRow(codes[participant.Id], invitation.WaveCode, email.Kind, email.Step,
                        email.SentAt is not null ? "sent" : email.SkippedBecause is not null ? "skipped" : "would send", at.ToDateTimeUtc(),
                        LocalPattern.Format(local.LocalDateTime), plan.Rules.Zone.Id, email.SkippedBecause));
                }
                if (stopped is not null)
                {
                    rows.Add(new PreviewRow(codes[participant.Id], invitation.WaveCode, "no email", 0, invitation.Status, null, null, null, stopped));
                }
            }
        }
        return rows
            .Where(r => r.AtUtc is null || ((from is null || DateOnly.FromDateTime(r.AtUtc.Value) >= from) && (to is null || DateOnly.FromDateTime(r.AtUtc.Value) <= to)))
            .OrderBy(r => r.AtUtc ?? DateTime.MaxValue).ThenBy(r => r.Participant, StringComparer.Ordinal)
            .ToList();
    }
}
