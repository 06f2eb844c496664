using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Enrollment;
using RecoveryStudy.Interviews;
using RecoveryStudy.Participants;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Tests.Infrastructure.Builders;

/// <summary>
/// The FACT programme seed imported under a code of its own, with two teams (cohorts team-a and team-b,
/// peer workers starting in each on <see cref="TeamAStart"/> and <see cref="TeamBStart"/>), enrolled from a
/// roster as the CLI does it; the clock on Monday 4 January 2027, 10:00 UTC.
/// </summary>
public sealed class FactProgrammeWorld : IAsyncDisposable
{
    public static readonly DateOnly TeamAStart = new(2027, 2, 1);
    public static readonly DateOnly TeamBStart = new(2027, 3, 1);
    public static readonly DateTimeOffset Start = new(2027, 1, 4, 10, 0, 0, TimeSpan.Zero);

    private readonly JsonObject document;

    private FactProgrammeWorld(StudyDbContext db, NpgsqlDataSource dataSource, Jobs jobs, string code, int studyId, JsonObject document)
    {
        this.document = document;
        Db = db;
        DataSource = dataSource;
        Jobs = jobs;
        Code = code;
        StudyId = studyId;
    }

    public StudyDbContext Db { get; }
    public NpgsqlDataSource DataSource { get; }
    public Jobs Jobs { get; }
    public string Code { get; }
    public int StudyId { get; }
    public FakeTimeProvider Clock => Jobs.Clock;

    public const string RosterHeader = "code,email,role,cohort,anchor_employment_start,anchor_inclusion,flag_selected_for_interview";

    public static async Task<FactProgrammeWorld> CreateAsync(DatabaseFixture database, DateTimeOffset? start = null)
    {
        var db = database.CreateContext();
        var code = "fact-prog-" + Guid.NewGuid().ToString("N")[..8];
        var document = JsonNode.Parse(Seeds.Read(Seeds.FactProgramme))!.AsObject();
        document["study"]!["code"] = code;
        document["cohorts"] = new JsonArray(
            new JsonObject { ["code"] = "team-a", ["name"] = "Team A", ["anchors"] = new JsonObject { ["team_peer_start"] = TeamAStart.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) } },
            new JsonObject { ["code"] = "team-b", ["name"] = "Team B", ["anchors"] = new JsonObject { ["team_peer_start"] = TeamBStart.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) } });
        var imported = await new ProtocolImporter(db, TimeProvider.System).ImportAsync(document.ToJsonString(), Actor.Cli, CancellationToken.None);
        Assert.True(imported.Succeeded, string.Join("; ", imported.Problems));
        var dataSource = database.CreateDataSource();
        return new FactProgrammeWorld(db, dataSource, new Jobs(dataSource, new FakeTimeProvider(start ?? Start)), code, imported.StudyId, document);
    }

    /// <summary>Moves a team's date the documented way: a new protocol version with the cohort's new team_peer_start.</summary>
    public async Task SetTeamStartAsync(string cohort, DateOnly date)
    {
        foreach (var team in document["cohorts"]!.AsArray().Where(c => (string?)c!["code"] == cohort))
        {
            team!["anchors"]!["team_peer_start"] = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }
        Db.ChangeTracker.Clear();
        var imported = await new ProtocolImporter(Db, TimeProvider.System).ImportAsync(document.ToJsonString(), Actor.Cli, CancellationToken.None);
        Assert.True(imported.Succeeded, string.Join("; ", imported.Problems));
        Db.ChangeTracker.Clear();
    }

    /// <summary>Every invitation of the study as (participant code, wave code, due date, status).</summary>
    public async Task<List<(string Participant, string Wave, DateOnly Due, string Status)>> InvitationsAsync()
    {
        Db.ChangeTracker.Clear();
        var rows = await (from i in Db.Invitations
                          join p in Db.Participants on i.ParticipantId equals p.Id
                          join w in Db.Waves on i.WaveId equals w.Id
                          where i.StudyId == StudyId
                          select new { Participant = p.Code, Wave = w.Code, i.DueDate, i.Status }).ToListAsync();
        return [.. rows.Select(r => (r.Participant, r.Wave, r.DueDate, r.Status)).OrderBy(r => r.Participant, StringComparer.Ordinal).ThenBy(r => r.Wave, StringComparer.Ordinal)];
    }

    /// <summary>Enrolls (or updates) from roster lines under <see cref="RosterHeader"/>; the email is made from the code.</summary>
    public async Task<ParticipantImportResult> RosterAsync(params string[] lines)
    {
        var csv = new StringBuilder(RosterHeader + "\n");
        foreach (var line in lines)
        {
            var participantCode = line.Split(',')[0];
            var rest = line[(participantCode.Length + 1)..];
            csv.Append(participantCode).Append(',').Append(participantCode.ToLowerInvariant()).Append("@example.org,").Append(rest).Append('\n');
        }
        Db.ChangeTracker.Clear();
        var result = await new ParticipantImporter(Db, Clock).ImportAsync(Code, new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), Actor.Cli, CancellationToken.None);
        Db.ChangeTracker.Clear();
        return result;
    }

    public async Task<Participant> ParticipantAsync(string code)
    {
        Db.ChangeTracker.Clear();
        return await Db.Participants.AsNoTracking().SingleAsync(p => p.StudyId == StudyId && p.Code == code);
    }

    /// <summary>Every task of the study as (participant code, wave code, due date, status).</summary>
    public async Task<List<(string Participant, string Wave, DateOnly Due, string Status)>> TasksAsync()
    {
        Db.ChangeTracker.Clear();
        var rows = await (from t in Db.InterviewTasks
                          join p in Db.Participants on t.ParticipantId equals p.Id
                          join w in Db.Waves on t.WaveId equals w.Id
                          where t.StudyId == StudyId
                          select new { Participant = p.Code, Wave = w.Code, t.DueDate, t.Status }).ToListAsync();
        return [.. rows.Select(r => (r.Participant, r.Wave, r.DueDate, r.Status)).OrderBy(r => r.Participant, StringComparer.Ordinal).ThenBy(r => r.Wave, StringComparer.Ordinal)];
    }

    public async Task<InterviewTask> TaskAsync(string participant, string wave)
    {
        Db.ChangeTracker.Clear();
        return await (from t in Db.InterviewTasks
                      join p in Db.Participants on t.ParticipantId equals p.Id
                      join w in Db.Waves on t.WaveId equals w.Id
                      where t.StudyId == StudyId && p.Code == participant && w.Code == wave
                      select t).AsNoTracking().SingleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
