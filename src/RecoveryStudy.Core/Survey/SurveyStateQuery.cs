using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Query;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Studies;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Survey;

/// <summary>
/// The one query behind <see cref="SurveyState"/>: the invitation with its participant, wave and
/// study, the participant's consent marks, the invitation's responses with their answers, and for
/// each of the wave's instruments its newest version. The read every survey page makes is compiled
/// once (EF Core's <c>EF.CompileAsyncQuery</c>): building and matching the LINQ expression on every
/// request cost more of the page's CPU than running the SQL (bench/README.md). The locked read of a
/// save keeps the ordinary form, since it starts from raw SQL.
/// </summary>
internal static class SurveyStateQuery
{
    internal sealed record Row(
        Invitation Invitation, Participant Participant, Wave Wave, Study Study,
        List<Consent.ConsentMark> Consents, List<ResponseRow> Responses, List<InstrumentRow> Instruments);

    internal sealed record ResponseRow(Response Response, List<Answer> Answers, int InstrumentId, string ContentHash);

    /// <summary>A wave's instrument and its newest version (both null when it has none).</summary>
    internal sealed record InstrumentRow(int InstrumentId, int? NewestId, string? NewestContentHash);

    // The query once, with the invitations it starts from as a parameter: the page view's read
    // starts from the table, a save's read from the row it locks. The study is an inner join and the
    // newest version two index lookups: the forms EF Core gives First() and FirstOrDefault() of an
    // entity in a projection number every row of the whole table (ROW_NUMBER() OVER ...) on every page view.
    private static readonly Expression<Func<StudyDbContext, IQueryable<Invitation>, long, byte[], bool, IQueryable<Row>>> Shape =
        (db, invitations, invitationId, hash, checkLink) => invitations
            .Where(i => i.Id == invitationId)
            .Where(i => !checkLink || db.AccessTokens.Any(t => t.Hash == hash && t.InvitationId == i.Id && t.RevokedAt == null))
            .Join(db.Studies, i => i.StudyId, s => s.Id, (i, s) => new { Invitation = i, Study = s })
            // One round trip on purpose: the responses' answers and the wave's few instruments join into a small product.
            .Select(x => new Row(
                x.Invitation,
                x.Invitation.Participant!,
                x.Invitation.Wave!,
                x.Study,
                db.ConsentRecords.Where(c => c.ParticipantId == x.Invitation.ParticipantId)
                    .Select(c => new Consent.ConsentMark(c.ConsentCode, c.ConsentVersion, c.Decision)).ToList(),
                db.Responses.Where(r => r.InvitationId == x.Invitation.Id)
                    .Select(r => new ResponseRow(r, r.Answers.ToList(), r.InstrumentVersion!.InstrumentId, r.InstrumentVersion.ContentHash)).ToList(),
                db.WaveInstruments.Where(wi => wi.WaveId == x.Invitation.WaveId).OrderBy(wi => wi.Position)
                    .Select(wi => new InstrumentRow(
                        wi.InstrumentId,
                        db.InstrumentVersions.Where(v => v.InstrumentId == wi.InstrumentId).OrderByDescending(v => v.Version)
                            .Select(v => (int?)v.Id).FirstOrDefault(),
                        db.InstrumentVersions.Where(v => v.InstrumentId == wi.InstrumentId).OrderByDescending(v => v.Version)
                            .Select(v => v.ContentHash).FirstOrDefault()))
                    .ToList()));

    private static readonly Expression<Func<StudyDbContext, long, byte[], bool, CancellationToken, Row?>> FromTableShape = FromTable();

    // EF Core binds a compiled query to the model it first runs against and refuses any other; a
    // process holds one model per distinct set of context options (the tests hold several), so
    // the query is compiled once per model.
    private static readonly ConditionalWeakTable<IModel, Func<StudyDbContext, long, byte[], bool, CancellationToken, Task<Row?>>> CompiledByModel = [];

    /// <summary>The state's row, or null when there is no such invitation (or, with a hash, its link is revoked).</summary>
    public static Task<Row?> ReadAsync(StudyDbContext db, long invitationId, byte[]? liveTokenHash, CancellationToken ct)
    {
        var compiled = CompiledByModel.GetValue(db.Model, _ => EF.CompileAsyncQuery(FromTableShape));
        return compiled(db, invitationId, liveTokenHash ?? [], liveTokenHash is not null, ct);
    }

    /// <summary>The same row with the invitation locked for the caller's transaction.</summary>
    public static Task<Row?> ReadLockedAsync(StudyDbContext db, long invitationId, byte[]? liveTokenHash, CancellationToken ct)
    {
        var locked = db.Invitations.FromSqlInterpolated($"SELECT * FROM invitations WHERE id = {invitationId} FOR UPDATE")
            .AsNoTracking().AsSingleQuery();
        // The arguments reach the query as fields of an object, as a C# closure's would: EF Core makes them parameters.
        var arguments = Expression.Constant(new Arguments(db, invitationId, liveTokenHash ?? [], liveTokenHash is not null));
        var body = new ReplacingExpressionVisitor(Shape.Parameters,
            [
                Expression.Field(arguments, nameof(Arguments.Db)), locked.Expression, Expression.Field(arguments, nameof(Arguments.InvitationId)),
                Expression.Field(arguments, nameof(Arguments.Hash)), Expression.Field(arguments, nameof(Arguments.CheckLink)),
            ]).Visit(Shape.Body);
        return locked.Provider.CreateQuery<Row>(body).FirstOrDefaultAsync(ct)!;
    }

    /// <summary>The shape starting from the whole table, ending in its first row: what EF Core compiles.</summary>
    private static Expression<Func<StudyDbContext, long, byte[], bool, CancellationToken, Row?>> FromTable()
    {
        Expression<Func<StudyDbContext, IQueryable<Invitation>>> table = db => db.Invitations.AsNoTracking().AsSingleQuery();
        var db = Shape.Parameters[0];
        var source = new ReplacingExpressionVisitor(table.Parameters, [db]).Visit(table.Body);
        var query = new ReplacingExpressionVisitor([Shape.Parameters[1]], [source]).Visit(Shape.Body);
        var first = Expression.Call(typeof(Queryable), nameof(Queryable.FirstOrDefault), [typeof(Row)], query);
        return Expression.Lambda<Func<StudyDbContext, long, byte[], bool, CancellationToken, Row?>>(first,
            db, Shape.Parameters[2], Shape.Parameters[3], Shape.Parameters[4], Expression.Parameter(typeof(CancellationToken), "ct"));
    }

    private sealed class Arguments(StudyDbContext db, long invitationId, byte[] hash, bool checkLink)
    {
        public readonly StudyDbContext Db = db;
        public readonly long InvitationId = invitationId;
        public readonly byte[] Hash = hash;
        public readonly bool CheckLink = checkLink;
    }
}
