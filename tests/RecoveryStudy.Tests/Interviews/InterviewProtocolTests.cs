using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using RecoveryStudy.Data;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Interviews;

/// <summary>The interview wave kind in the protocol file: validation, schema, import and export.</summary>
public sealed class InterviewProtocolTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static string WithInterview(string code, Action<JsonObject>? change = null) => MiniProtocol.With(d =>
    {
        d["study"]!["code"] = code;
        var wave = MiniProtocol.InterviewWave();
        change?.Invoke(wave);
        d["waves"]!.AsArray().Add(wave);
    });

    [Fact]
    public async Task An_interview_wave_imports_and_exports_without_instruments_reminders_or_emails()
    {
        var json = WithInterview("mini-int", w => w["interviewer_reminder_days_before"] = 10);
        Assert.Empty(ProtocolValidator.Validate(json).Problems);
        using (var document = JsonDocument.Parse(json))
        {
            Assert.True(RecoveryStudy.Tests.Protocol.ProtocolSchemaTests.Schema.Evaluate(document.RootElement).IsValid);
        }

        await using var db = database.CreateContext();
        var import = await new ProtocolImporter(db, new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero))).ImportAsync(json, Actor.Cli, CancellationToken.None);
        Assert.True(import.Succeeded, string.Join("; ", import.Problems));
        var wave = await db.Waves.AsNoTracking().Include(w => w.Instruments).SingleAsync(w => w.StudyId == import.StudyId && w.Code == "interview");
        Assert.Equal((WaveKind.Interview, 10, 0), (wave.Kind, wave.InterviewerReminderDaysBefore, wave.Instruments.Count));
        Assert.Equal(WaveKind.Questionnaire, (await db.Waves.AsNoTracking().SingleAsync(w => w.StudyId == import.StudyId && w.Code == "baseline")).Kind);

        var exported = (await ProtocolExporter.ExportAsync(db, "mini-int", CancellationToken.None))!;
        var waves = JsonNode.Parse(exported)!["waves"]!.AsArray();
        var interview = waves[2]!.AsObject();
        Assert.Equal("interview", (string?)interview["kind"]);
        Assert.Equal(10, (int?)interview["interviewer_reminder_days_before"]);
        Assert.False(interview.ContainsKey("instruments") || interview.ContainsKey("reminders") || interview.ContainsKey("emails"));
        // A questionnaire wave is exported as before: no kind, with its instruments and emails.
        Assert.False(waves[0]!.AsObject().ContainsKey("kind"));
        Assert.True(waves[0]!.AsObject().ContainsKey("emails"));
        Assert.Empty(ProtocolValidator.Validate(exported).Problems);
    }

    [Fact]
    public void An_interviewer_reminder_that_does_not_fit_in_the_window_is_refused_at_its_path()
    {
        var json = WithInterview("mini-int-rem", w => w["interviewer_reminder_days_before"] = 42);
        var problem = Assert.Single(ProtocolValidator.Validate(json).Problems);
        Assert.Equal(new ProtocolProblem("$.waves[2].interviewer_reminder_days_before", "must be less than the window's length of 42 days"), problem);
    }

    [Fact]
    public void An_interview_wave_may_share_weeks_with_a_questionnaire_but_not_with_another_interview()
    {
        // Same anchor and role as 'followup' (6 months), and open at the same time.
        Assert.Empty(ProtocolValidator.Validate(WithInterview("mini-int-ov", w => w["offset"] = new JsonObject { ["months"] = 6 })).Problems);
        var twice = MiniProtocol.With(d =>
        {
            d["waves"]!.AsArray().Add(MiniProtocol.InterviewWave());
            var second = MiniProtocol.InterviewWave();
            second["code"] = "interview2";
            second["offset"] = new JsonObject { ["months"] = 13 };
            d["waves"]!.AsArray().Add(second);
        });
        var problem = Assert.Single(ProtocolValidator.Validate(twice).Problems);
        Assert.Equal("$.waves[3].window", problem.Path);
    }

    [Fact]
    public async Task A_wave_with_interview_tasks_cannot_become_a_questionnaire_and_nothing_is_written()
    {
        await using var db = database.CreateContext();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var json = WithInterview("mini-int-kind");
        var first = await new ProtocolImporter(db, clock).ImportAsync(json, Actor.Cli, CancellationToken.None);
        Assert.True(first.Succeeded);
        var participant = new RecoveryStudy.Participants.Participant { StudyId = first.StudyId, Code = "P-1", Role = "trainee", Language = "en", TimeZone = "Europe/Copenhagen" };
        db.Participants.Add(participant);
        await db.SaveChangesAsync();
        var wave = await db.Waves.SingleAsync(w => w.StudyId == first.StudyId && w.Code == "interview");
        db.InterviewTasks.Add(new RecoveryStudy.Interviews.InterviewTask
        {
            StudyId = first.StudyId, ParticipantId = participant.Id, WaveId = wave.Id, DueDate = new DateOnly(2027, 6, 26),
            OpensOn = new DateOnly(2027, 6, 12), ClosesOn = new DateOnly(2027, 7, 24), ClosesAt = new DateTime(2027, 7, 24, 22, 0, 0, DateTimeKind.Utc),
        });
        await db.SaveChangesAsync();

        var changed = MiniProtocol.With(d =>
        {
            d["study"]!["code"] = "mini-int-kind";
            var questionnaire = d["waves"]![1]!.DeepClone().AsObject();
            questionnaire["code"] = "interview";
            questionnaire["offset"] = new JsonObject { ["months"] = 12 };
            d["waves"]!.AsArray().Add(questionnaire);
        });
        var second = await new ProtocolImporter(db, clock).ImportAsync(changed, Actor.Cli, CancellationToken.None);
        var problem = Assert.Single(second.Problems);
        Assert.Equal("$.waves[2].kind", problem.Path);
        Assert.Contains("has participants planned in it as kind 'interview'; it cannot become kind 'questionnaire'", problem.Message, StringComparison.Ordinal);
        await using var check = database.CreateContext();
        Assert.Equal(WaveKind.Interview, (await check.Waves.SingleAsync(w => w.Id == wave.Id)).Kind);
    }
}
