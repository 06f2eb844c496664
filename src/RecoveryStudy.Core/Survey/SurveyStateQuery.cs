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
/// The reads behind <see cref="SurveyState"/>, two statements: the invitation with its participant,
/// wave and study and the participant's consent marks; then the invitation's responses with their
/// answers. The wave's instruments and their versions come from <see cref="WaveStructures"/>, keyed
/// on the wave's structure revision read here. One statement for both would join every answer with
/// every consent mark, each row repeating the invitation's, wave's and study's columns: the page of
/// a participant who had answered twelve questions cost PostgreSQL 1.6-2.3 times the CPU of an
/// empty one (bench/README.md), and real instruments have sixty. Both are compiled once (EF Core's <c>EF.CompileAsyncQuery</c>): building and
/// matching the LINQ expression on every request cost more of the page's CPU than running the SQL.
/// The locked read of a save starts the first from raw SQL, so it keeps the ordinary form.
/// </summary>
internal static class SurveyStateQuery
{
    internal sealed record Row(
        Invitation Invitation, Participant Participant, Wave Wave, Study Study,
        List<Consent.ConsentMark> Consents, List<ResponseRow> Responses);

    /// <summary>The first statement's row: everything but the responses (set by name, so a save's read can go on from it).</summary>
    internal sealed class Head
    {
        public required Invitation Invitation { get; init; }
        public required Participant Participant { get; init; }
        public required Wave Wave { get; init; }
        public required Study Study { get; init; }
        public required List<Consent.ConsentMark> Consents { get; init; }
    }

    internal sealed record ResponseRow(Response Response, List<Answer> Answers);

    // The query once, with the invitations it starts from as a parameter: the page view's read
    // starts from the table, a save's read from the row it locks. The study is an inner join.
    private static readonly Expression<Func<StudyDbContext, IQueryable<Invitation>, long, byte[], bool, IQueryable<Head>>> Shape =
        (db, invitations, invitationId, hash, checkLink) => invitations
            .Where(i => i.Id == invitationId)
            .Where(i => !checkLink || db.AccessTokens.Any(t => t.Hash == hash && t.InvitationId == i.Id && t.RevokedAt == null))
            .Join(db.Studies, i => i.StudyId, s => s.Id, (i, s) => new { Invitation = i, Study = s })
            // The consent marks are bounded by the protocol (a few consent forms), never by how much the participant has answered.
            .Select(x => new Head
            {
                Invitation = x.Invitation,
                Participant = x.Invitation.Participant!,
                Wave = x.Invitation.Wave!,
                Study = x.Study,
                Consents = db.ConsentRecords.Where(c => c.ParticipantId == x.Invitation.ParticipantId)
                    .Select(c => new Consent.ConsentMark(c.ConsentCode, c.ConsentVersion, c.Decision)).ToList(),
            });

    private static readonly Expression<Func<Response, ResponseRow>> ResponseProjection =
        r => new ResponseRow(r, r.Answers.OrderBy(a => a.Id).ToList());

    // The answers of one invitation: as many rows as answers, none of them repeating the head's columns.
    private static readonly Expression<Func<StudyDbContext, long, IQueryable<ResponseRow>>> ResponsesShape =
        (db, invitationId) => db.Responses.AsNoTracking().AsSingleQuery()
            .Where(r => r.InvitationId == invitationId)
            .OrderBy(r => r.Id)
            .Select(ResponseProjection);

    private static readonly Expression<Func<StudyDbContext, long, byte[], bool, CancellationToken, Head?>> FromTableShape = FromTable();

    private sealed class Compiled
    {
        public readonly Func<StudyDbContext, long, byte[], bool, CancellationToken, Task<Head?>> Head = EF.CompileAsyncQuery(FromTableShape);
        public readonly Func<StudyDbContext, long, IAsyncEnumerable<ResponseRow>> Responses = EF.CompileAsyncQuery(ResponsesShape);
    }

    // EF Core binds a compiled query to the model it first runs against and refuses any other; a
    // process holds one model per distinct set of context options (the tests hold several), so
    // the queries are compiled once per model.
    private static readonly ConditionalWeakTable<IModel, Compiled> CompiledByModel = [];

    /// <summary>The state's row, or null when there is no such invitation (or, with a hash, its link is revoked).</summary>
    public static async Task<Row?> ReadAsync(StudyDbContext db, long invitationId, byte[]? liveTokenHash, CancellationToken ct)
    {
        var compiled = CompiledByModel.GetValue(db.Model, _ => new Compiled());
        var head = await compiled.Head(db, invitationId, liveTokenHash ?? [], liveTokenHash is not null, ct);
        return head is null ? null : await WithResponsesAsync(db, compiled, head, ct);
    }

    /// <summary>The same row with the invitation locked for the caller's transaction.</summary>
    public static async Task<Row?> ReadLockedAsync(StudyDbContext db, long invitationId, byte[]? liveTokenHash, CancellationToken ct)
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
        // A save stays within three round trips (the locked read, the writes, the commit), so here the
        // responses join the head after all, in one statement: the product grows with the answers,
        // once for a save rather than on every page view.
        return await locked.Provider.CreateQuery<Head>(body)
            .Select(h => new Row(h.Invitation, h.Participant, h.Wave, h.Study, h.Consents,
                db.Responses.Where(r => r.InvitationId == h.Invitation.Id).OrderBy(r => r.Id).Select(ResponseProjection).ToList()))
            .FirstOrDefaultAsync(ct);
    }

    // The second statement of a page view, on the same connection.
    private static async Task<Row> WithResponsesAsync(StudyDbContext db, Compiled compiled, Head head, CancellationToken ct)
    {
        var responses = new List<ResponseRow>();
        await foreach (var response in compiled.Responses(db, head.Invitation.Id).WithCancellation(ct))
        {
            responses.Add(response);
        }
        return new Row(head.Invitation, head.Participant, head.Wave, head.Study, head.Consents, responses);
    }

    /// <summary>The shape starting from the whole table, ending in its first row: what EF Core compiles.</summary>
    private static Expression<Func<StudyDbContext, long, byte[], bool, CancellationToken, Head?>> FromTable()
    {
        Expression<Func<StudyDbContext, IQueryable<Invitation>>> table = db => db.Invitations.AsNoTracking().AsSingleQuery();
        var db = Shape.Parameters[0];
        var source = new ReplacingExpressionVisitor(table.Parameters, [db]).Visit(table.Body);
        var query = new ReplacingExpressionVisitor([Shape.Parameters[1]], [source]).Visit(Shape.Body);
        var first = Expression.Call(typeof(Queryable), nameof(Queryable.FirstOrDefault), [typeof(Head)], query);
        return Expression.Lambda<Func<StudyDbContext, long, byte[], bool, CancellationToken, Head?>>(first,
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
