using Dapper;
using Npgsql;
using RecoveryStudy.Data;

namespace RecoveryStudy.Reports;

/// <summary>
/// Response figures of one wave for one cohort (Cohort null: all cohorts together). Eligible:
/// participants in the wave's roles (every participant when it names none) carrying the flag it
/// may require (an interview for selected participants), or holding an
/// invitation to it; a wave months ahead has no invitation rows yet (see PlanJob.QueueHorizon). Invited: the email went out
/// or answers were imported. Response rate: completed / invited. CompletedAfter[0] counts
/// completions after the first email and before any reminder, [k] after reminder k (the
/// last-chance email counts as the reminder after the numbered ones).
/// An interview wave's tasks count the same way: done is completed, a window closed without the
/// interview is missed, and a task counts as invited (the rate's denominator) once its window has
/// opened; done interviews are counted among the completions without email.
/// </summary>
public sealed record ResponseRow(
    string Wave, string? Cohort, int Eligible, int NotInvited, int Invited, int Started, int Completed, int Expired, int Missed,
    int Undeliverable, int Withdrawn, int StillOpen, double? ResponseRate, IReadOnlyList<int> CompletedAfter, int CompletedWithoutEmail);

/// <summary>Of the first wave's completers, how many also completed this wave, and every wave up to it.</summary>
public sealed record RetentionRow(string Wave, int FirstWaveCompleters, int AlsoCompleted, int CompletedEveryWaveSoFar);

/// <summary>The report of a study; <c>Role</c> names the one role it was computed over, null for all.</summary>
public sealed record ResponseReportResult(string Study, IReadOnlyList<ResponseRow> Rows, IReadOnlyList<RetentionRow> Retention, string? Role = null);

public static class ResponseReport
{
    public const string AllCohorts = "(all)";
    public const string NoCohort = "(none)";
    public const string AllRoles = "(all)";

    private const string Sql = $"""
        SELECT p.id AS ParticipantId, p.status AS ParticipantStatus, c.code AS Cohort, w.id AS WaveId,
               COALESCE(i.status, CASE t.status WHEN 'done' THEN 'completed' WHEN 'missed' THEN 'missed'
                                                WHEN 'open' THEN CASE WHEN t.opens_on <= current_date THEN 'sent' ELSE 'planned' END END) AS Status,
               i.sent_at IS NOT NULL OR t.status IN ('done', 'missed') OR t.opens_on <= current_date AS Sent,
               EXISTS (SELECT 1 FROM responses r WHERE r.invitation_id = i.id) AS HasResponse,
               EXISTS (SELECT 1 FROM messages m WHERE m.invitation_id = i.id AND m.kind = 'invitation' AND m.status = 'sent' AND m.sent_at <= i.completed_at) AS EmailedBeforeCompletion,
               (SELECT count(*)::int FROM messages m WHERE m.invitation_id = i.id AND m.kind IN ('reminder', 'last_chance') AND m.status = 'sent' AND m.sent_at <= i.completed_at) AS RemindersBeforeCompletion
        FROM waves w
        JOIN participants p ON p.study_id = w.study_id
        LEFT JOIN cohorts c ON c.id = p.cohort_id
        LEFT JOIN invitations i ON i.wave_id = w.id AND i.participant_id = p.id
        LEFT JOIN interview_tasks t ON t.wave_id = w.id AND t.participant_id = p.id
        WHERE w.study_id = @StudyId
          AND ((cardinality(w.roles) = 0 OR p.role = ANY(w.roles)) AND (w.requires_flag IS NULL OR w.requires_flag = ANY(p.flags))
               OR i.id IS NOT NULL OR t.id IS NOT NULL)
          AND {Participants.SiteFilter.OnParticipants}
          AND (@Role::text IS NULL OR p.role = @Role)
        ORDER BY p.id, w.position, w.id
        """;

    /// <summary>Null when no study has this code.</summary>
    public static Task<ResponseReportResult?> ComputeAsync(NpgsqlDataSource dataSource, string studyCode, CancellationToken ct) =>
        ComputeAsync(dataSource, studyCode, null, ct);

    /// <summary>Over the participants of the cohorts <paramref name="sites"/> only (a site-limited member); null: all.</summary>
    public static Task<ResponseReportResult?> ComputeAsync(NpgsqlDataSource dataSource, string studyCode, int[]? sites, CancellationToken ct) =>
        ComputeAsync(dataSource, studyCode, sites, null, ct);

    /// <summary>Over the participants of one <paramref name="role"/> (null: all) of the cohorts <paramref name="sites"/> (null: all).</summary>
    public static async Task<ResponseReportResult?> ComputeAsync(NpgsqlDataSource dataSource, string studyCode, int[]? sites, string? role, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var study = await connection.QuerySingleOrDefaultAsync<int?>("SELECT id FROM studies WHERE code = @studyCode", new { studyCode });
        if (study is null)
        {
            return null;
        }
        var waves = (await connection.QueryAsync<(int Id, string Code)>("SELECT id, code FROM waves WHERE study_id = @study ORDER BY position, id", new { study })).ToList();
        var tallies = new SortedDictionary<(int Wave, string Cohort), Tally>();
        var completedWaves = new List<int>();
        var retention = waves.Select(_ => (Also: 0, All: 0)).ToArray();
        int? current = null;
        void CloseParticipant()
        {
            if (waves.Count == 0 || !completedWaves.Contains(waves[0].Id))
            {
                return;
            }
            var all = true;
            for (var k = 0; k < waves.Count; k++)
            {
                var done = completedWaves.Contains(waves[k].Id);
                all &= done;
                retention[k] = (retention[k].Also + (done ? 1 : 0), retention[k].All + (all ? 1 : 0));
            }
        }
        await foreach (var row in connection.QueryUnbufferedAsync<Row>(Sql, new { StudyId = study, Sites = sites, Role = role }, commandTimeout: 0).WithCancellation(ct))
        {
            if (current != row.ParticipantId)
            {
                CloseParticipant();
                completedWaves.Clear();
                current = row.ParticipantId;
            }
            if (row.Status == InvitationStatus.Completed)
            {
                completedWaves.Add(row.WaveId);
            }
            foreach (var cohort in new[] { row.Cohort ?? NoCohort, AllCohorts })
            {
                var key = (waves.FindIndex(w => w.Id == row.WaveId), cohort);
                if (!tallies.TryGetValue(key, out var tally))
                {
                    tallies[key] = tally = new Tally();
                }
                tally.Add(row);
            }
        }
        CloseParticipant();
        var rows = tallies.OrderBy(t => t.Key.Wave).ThenBy(t => t.Key.Cohort == AllCohorts).ThenBy(t => t.Key.Cohort, StringComparer.Ordinal)
            .Select(t => t.Value.ToRow(waves[t.Key.Wave].Code, t.Key.Cohort == AllCohorts ? null : t.Key.Cohort)).ToList();
        var first = retention.Length == 0 ? 0 : retention[0].Also;
        return new ResponseReportResult(studyCode, rows, [.. waves.Select((w, k) => new RetentionRow(w.Code, first, retention[k].Also, retention[k].All))], role);
    }

    private sealed class Row
    {
        public int ParticipantId { get; set; }
        public string ParticipantStatus { get; set; } = "";
        public string? Cohort { get; set; }
        public int WaveId { get; set; }
        public string? Status { get; set; }
        public bool Sent { get; set; }
        public bool HasResponse { get; set; }
        public bool EmailedBeforeCompletion { get; set; }
        public int RemindersBeforeCompletion { get; set; }
    }

    private sealed class Tally
    {
        private int eligible, notInvited, invited, started, completed, expired, missed, undeliverable, withdrawn, open, withoutEmail;
        private readonly List<int> after = [];

        public void Add(Row row)
        {
            eligible++;
            var status = row.Status;
            var wasInvited = row.Sent || row.HasResponse;
            if (status == InvitationStatus.Withdrawn || !wasInvited && ParticipantStatus.HasLeft(row.ParticipantStatus) && status != InvitationStatus.Completed)
            {
                withdrawn++;
            }
            else if (status == InvitationStatus.Missed)
            {
                missed++;
            }
            else if (!wasInvited)
            {
                notInvited++;
            }
            if (wasInvited)
            {
                invited++;
            }
            if (row.HasResponse || status is InvitationStatus.InProgress or InvitationStatus.Completed)
            {
                started++;
            }
            switch (status)
            {
                case InvitationStatus.Completed:
                    completed++;
                    if (!row.EmailedBeforeCompletion)
                    {
                        withoutEmail++;
                    }
                    else
                    {
                        while (after.Count <= row.RemindersBeforeCompletion)
                        {
                            after.Add(0);
                        }
                        after[row.RemindersBeforeCompletion]++;
                    }
                    break;
                case InvitationStatus.Expired: expired++; break;
                case InvitationStatus.Undeliverable: undeliverable++; break;
                case InvitationStatus.Sent or InvitationStatus.Opened or InvitationStatus.InProgress: open++; break;
            }
        }

        public ResponseRow ToRow(string wave, string? cohort) => new(
            wave, cohort, eligible, notInvited, invited, started, completed, expired, missed, undeliverable, withdrawn, open,
            invited == 0 ? null : (double)completed / invited, [.. after], withoutEmail);
    }
}
