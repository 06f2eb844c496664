using System.Runtime.CompilerServices;
using Dapper;
using Npgsql;

namespace RecoveryStudy.Exports;

/// <summary>
/// Which participants an export or report covers. <paramref name="Sites"/>: the cohort ids a
/// site-limited study member may see (null: every participant), see <see cref="Participants.SiteFilter"/>.
/// </summary>
public sealed record ParticipantFilter(string? Cohort = null, string? Role = null, int[]? Sites = null);

/// <summary>One participant with their invitations, responses and answers in the waves asked for.</summary>
public sealed class ParticipantRecord
{
    public required int Id { get; init; }
    public required string Code { get; init; }
    public string? Cohort { get; init; }
    public required string Role { get; init; }
    public required string Status { get; init; }
    public Dictionary<int, WaveRecord> Waves { get; } = [];
}

/// <summary>One invitation and its responses, by instrument id.</summary>
public sealed class WaveRecord
{
    public required string Status { get; init; }
    public DateOnly DueDate { get; init; }
    public DateTime? SentAt { get; init; }
    public DateTime? CompletedAt { get; init; }
    public Dictionary<int, ResponseRecord> Responses { get; } = [];
}

public sealed class ResponseRecord
{
    public required int InstrumentVersionId { get; init; }
    public required string Status { get; init; }
    public required string Source { get; init; }
    public DateTime? CompletedAt { get; init; }
    public Dictionary<int, AnswerRecord> Answers { get; } = [];
}

public sealed record AnswerRecord(decimal? NumericValue, int[]? Codes, DateOnly? DateValue, string? TextValue, DateTime AnsweredAt)
{
    public bool IsEmpty => NumericValue is null && Codes is null && DateValue is null && string.IsNullOrEmpty(TextValue);
}

/// <summary>
/// Streams participants from PostgreSQL one at a time: a single ordered query read unbuffered
/// (Dapper), rows grouped by participant as they arrive, so memory holds one participant's
/// answers, never the dataset. Order is by participant code in the C collation, which is the
/// same on every server, so repeated exports are identical.
/// </summary>
public static class ParticipantRecords
{
    /// <summary>The one query of every export; public so that the export benchmark hands psql the very same rows.</summary>
    public const string Sql = $"""
        SELECT p.id AS ParticipantId, p.code AS ParticipantCode, c.code AS CohortCode, p.role AS Role, p.status AS ParticipantStatus,
               i.wave_id AS WaveId, i.status AS InvitationStatus, i.due_date AS DueDate, i.sent_at AS SentAt, i.completed_at AS InvitationCompletedAt,
               r.id AS ResponseId, r.instrument_version_id AS InstrumentVersionId, r.status AS ResponseStatus, r.source AS Source, r.completed_at AS ResponseCompletedAt,
               a.item_id AS ItemId, a.numeric_value AS NumericValue, a.codes AS Codes, a.date_value AS DateValue, a.text_value AS TextValue, a.answered_at AS AnsweredAt
        FROM participants p
        LEFT JOIN cohorts c ON c.id = p.cohort_id
        LEFT JOIN invitations i ON i.participant_id = p.id AND i.wave_id = ANY(@WaveIds)
        LEFT JOIN responses r ON r.invitation_id = i.id
        LEFT JOIN answers a ON a.response_id = r.id
        WHERE p.study_id = @StudyId
          AND (@Cohort::text IS NULL OR c.code = @Cohort)
          AND (@Role::text IS NULL OR p.role = @Role)
          AND {Participants.SiteFilter.OnParticipants}
        ORDER BY p.code COLLATE "C", p.id, i.wave_id, r.id, a.item_id
        """;

    public static async IAsyncEnumerable<ParticipantRecord> ReadAsync(
        NpgsqlDataSource dataSource, int studyId, IEnumerable<int> waveIds, ParticipantFilter filter,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var parameters = new { StudyId = studyId, WaveIds = waveIds.ToArray(), filter.Cohort, filter.Role, filter.Sites };
        ParticipantRecord? current = null;
        await foreach (var row in connection.QueryUnbufferedAsync<Row>(Sql, parameters, commandTimeout: 0).WithCancellation(ct))
        {
            if (current is null || current.Id != row.ParticipantId)
            {
                if (current is not null)
                {
                    yield return current;
                }
                current = new ParticipantRecord { Id = row.ParticipantId, Code = row.ParticipantCode, Cohort = row.CohortCode, Role = row.Role, Status = row.ParticipantStatus };
            }
            if (row.WaveId is not { } waveId)
            {
                continue;
            }
            if (!current.Waves.TryGetValue(waveId, out var wave))
            {
                wave = new WaveRecord { Status = row.InvitationStatus!, DueDate = DateOnly.FromDateTime(row.DueDate!.Value), SentAt = row.SentAt, CompletedAt = row.InvitationCompletedAt };
                current.Waves[waveId] = wave;
            }
            if (row.ResponseId is null)
            {
                continue;
            }
            var instrumentVersionId = row.InstrumentVersionId!.Value;
            // Keyed by version here; the table builders map versions to instruments through the layout.
            if (!wave.Responses.TryGetValue(instrumentVersionId, out var response))
            {
                response = new ResponseRecord { InstrumentVersionId = instrumentVersionId, Status = row.ResponseStatus!, Source = row.Source!, CompletedAt = row.ResponseCompletedAt };
                wave.Responses[instrumentVersionId] = response;
            }
            if (row.ItemId is { } itemId)
            {
                response.Answers[itemId] = new AnswerRecord(row.NumericValue, row.Codes, row.DateValue is { } d ? DateOnly.FromDateTime(d) : null, row.TextValue, row.AnsweredAt!.Value);
            }
        }
        if (current is not null)
        {
            yield return current;
        }
    }

    private sealed class Row
    {
        public int ParticipantId { get; set; }
        public string ParticipantCode { get; set; } = "";
        public string? CohortCode { get; set; }
        public string Role { get; set; } = "";
        public string ParticipantStatus { get; set; } = "";
        public int? WaveId { get; set; }
        public string? InvitationStatus { get; set; }
        public DateTime? DueDate { get; set; }
        public DateTime? SentAt { get; set; }
        public DateTime? InvitationCompletedAt { get; set; }
        public long? ResponseId { get; set; }
        public int? InstrumentVersionId { get; set; }
        public string? ResponseStatus { get; set; }
        public string? Source { get; set; }
        public DateTime? ResponseCompletedAt { get; set; }
        public int? ItemId { get; set; }
        public decimal? NumericValue { get; set; }
        public int[]? Codes { get; set; }
        public DateTime? DateValue { get; set; }
        public string? TextValue { get; set; }
        public DateTime? AnsweredAt { get; set; }
    }
}
