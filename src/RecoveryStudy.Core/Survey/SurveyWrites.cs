using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using RecoveryStudy.Data;

namespace RecoveryStudy.Survey;

/// <summary>
/// The statements a page save (and a completion) writes, sent as one command: Npgsql sends the
/// statements of one command text in one round trip. Each statement finds the response by its
/// unique (invitation, version) key, so a response created by the first statement needs no
/// generated id read back before its answers are written.
/// </summary>
internal sealed class SurveyWrites(long invitationId, DateTime now)
{
    private readonly StringBuilder sql = new();
    private readonly List<NpgsqlParameter> parameters = [];

    private string Param(object? value, NpgsqlDbType type)
    {
        var name = "p" + parameters.Count;
        parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        return "@" + name;
    }

    private string Invitation => Param(invitationId, NpgsqlDbType.Bigint);
    private string Now => Param(DateTime.SpecifyKind(now, DateTimeKind.Utc), NpgsqlDbType.TimestampTz);

    public void UpsertResponse(int versionId) => sql.Append(CultureInfo.InvariantCulture,
        $"""
        INSERT INTO responses (invitation_id, instrument_version_id, status, source, started_at, updated_at)
        VALUES ({Invitation}, {Param(versionId, NpgsqlDbType.Integer)}, {Param(ResponseStatus.InProgress, NpgsqlDbType.Text)}, 'web', {Now}, {Now})
        ON CONFLICT (invitation_id, instrument_version_id) DO UPDATE SET updated_at = excluded.updated_at;

        """);

    /// <summary>Inserts or changes an answer; an unchanged one keeps its answered_at.</summary>
    public void UpsertAnswer(int versionId, Answer value) => sql.Append(CultureInfo.InvariantCulture,
        $"""
        INSERT INTO answers (response_id, item_id, numeric_value, codes, date_value, text_value, answered_at)
        SELECT r.id, {Param(value.ItemId, NpgsqlDbType.Integer)}, {Param(value.NumericValue, NpgsqlDbType.Numeric)},
            {Param(value.Codes, NpgsqlDbType.Array | NpgsqlDbType.Integer)}, {Param(value.DateValue, NpgsqlDbType.Date)},
            {Param(value.TextValue, NpgsqlDbType.Text)}, {Now}
        FROM responses r WHERE r.invitation_id = {Invitation} AND r.instrument_version_id = {Param(versionId, NpgsqlDbType.Integer)}
        ON CONFLICT (response_id, item_id) DO UPDATE SET numeric_value = excluded.numeric_value, codes = excluded.codes,
            date_value = excluded.date_value, text_value = excluded.text_value, answered_at = excluded.answered_at
        WHERE (answers.numeric_value, answers.codes, answers.date_value, answers.text_value)
            IS DISTINCT FROM (excluded.numeric_value, excluded.codes, excluded.date_value, excluded.text_value);

        """);

    public void DeleteAnswers(IReadOnlyList<int> itemIds)
    {
        if (itemIds.Count == 0)
        {
            return;
        }
        sql.Append(CultureInfo.InvariantCulture,
            $"""
            DELETE FROM answers a USING responses r
            WHERE a.response_id = r.id AND r.invitation_id = {Invitation} AND a.item_id = ANY({Param(itemIds.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer)});

            """);
    }

    public void MarkSaved() => sql.Append(CultureInfo.InvariantCulture,
        $"""
        UPDATE invitations SET last_saved_at = {Now}, first_opened_at = COALESCE(first_opened_at, {Now}),
            status = CASE WHEN status = ANY({Param(new[] { InvitationStatus.Planned, InvitationStatus.Sent, InvitationStatus.Opened }, NpgsqlDbType.Array | NpgsqlDbType.Text)})
                THEN {Param(InvitationStatus.InProgress, NpgsqlDbType.Text)} ELSE status END
        WHERE id = {Invitation};

        """);

    public void CompleteResponse(int versionId) => sql.Append(CultureInfo.InvariantCulture,
        $"""
        INSERT INTO responses (invitation_id, instrument_version_id, status, source, started_at, updated_at, completed_at)
        VALUES ({Invitation}, {Param(versionId, NpgsqlDbType.Integer)}, {Param(ResponseStatus.Complete, NpgsqlDbType.Text)}, 'web', {Now}, {Now}, {Now})
        ON CONFLICT (invitation_id, instrument_version_id) DO UPDATE
            SET status = excluded.status, updated_at = excluded.updated_at, completed_at = excluded.completed_at;

        """);

    /// <summary>The invitation is complete and its queued emails are cancelled, in the same transaction.</summary>
    public void CompleteInvitation() => sql.Append(CultureInfo.InvariantCulture,
        $"""
        UPDATE invitations SET status = {Param(InvitationStatus.Completed, NpgsqlDbType.Text)}, completed_at = {Now}, last_saved_at = {Now},
            first_opened_at = COALESCE(first_opened_at, {Now})
        WHERE id = {Invitation};
        UPDATE messages SET status = {Param(MessageStatus.Cancelled, NpgsqlDbType.Text)}, cancel_reason = {Param(QueuedMessages.ReasonCompleted, NpgsqlDbType.Text)}
        WHERE invitation_id = {Invitation} AND status = {Param(MessageStatus.Queued, NpgsqlDbType.Text)};

        """);

    public async Task ExecuteAsync(StudyDbContext db, CancellationToken ct)
    {
        if (sql.Length > 0)
        {
            await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, ct);
        }
    }
}
