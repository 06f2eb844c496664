using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Protocol;

public sealed class ProtocolImporterTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Protocol_that_drops_a_wave_with_invitations_is_refused_and_changes_nothing()
    {
        await using var db = database.CreateContext();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var json = MiniProtocol.Json.Replace("\"mini\"", "\"mini-drop\"", StringComparison.Ordinal);
        var first = await new ProtocolImporter(db, clock).ImportAsync(json, Actor.Cli, CancellationToken.None);
        Assert.True(first.Succeeded);
        var followup = await db.Waves.SingleAsync(w => w.StudyId == first.StudyId && w.Code == "followup");
        var participant = new RecoveryStudy.Participants.Participant { StudyId = first.StudyId, Code = "P-1", Role = "trainee", Language = "en", TimeZone = "Europe/Copenhagen" };
        db.Participants.Add(participant);
        await db.SaveChangesAsync();
        db.Invitations.Add(new RecoveryStudy.Scheduling.Invitation
        {
            StudyId = first.StudyId, ParticipantId = participant.Id, WaveId = followup.Id, DueDate = new DateOnly(2026, 12, 26),
            OpensAt = new DateTime(2026, 12, 19, 8, 0, 0, DateTimeKind.Utc), ClosesAt = new DateTime(2027, 1, 23, 8, 0, 0, DateTimeKind.Utc),
        });
        await db.SaveChangesAsync();

        var dropped = MiniProtocol.With(d =>
        {
            d["study"]!["code"] = "mini-drop";
            d["waves"]!.AsArray().RemoveAt(1);
        });
        var second = await new ProtocolImporter(db, clock).ImportAsync(dropped, Actor.Cli, CancellationToken.None);
        var problem = Assert.Single(second.Problems);
        Assert.Equal("$.waves", problem.Path);
        Assert.Contains("wave 'followup' is missing, but participants were already invited to it", problem.Message, StringComparison.Ordinal);
        await using var check = database.CreateContext();
        Assert.Equal(1, await check.ProtocolVersions.CountAsync(v => v.StudyId == first.StudyId));
        Assert.Equal(2, await check.Waves.CountAsync(w => w.StudyId == first.StudyId));
    }

    [Fact]
    public async Task Changed_instrument_with_answers_gets_a_new_version_and_old_answers_keep_the_old_one()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var json = MiniProtocol.With(d => d["study"]!["code"] = "mini-frozen");
        await using var db = database.CreateContext();
        var first = await new ProtocolImporter(db, clock).ImportAsync(json, Actor.Cli, CancellationToken.None);
        Assert.True(first.Succeeded);
        var v1 = await db.InstrumentVersions.Include(v => v.Items).SingleAsync(v => v.Instrument!.StudyId == first.StudyId && v.Instrument.Code == "mood");
        var answer = await AnswerAsync(db, first.StudyId, v1, "mood_1", 4);

        var changed = MiniProtocol.With(d =>
        {
            d["study"]!["code"] = "mini-frozen";
            MiniProtocol.Item(d, 0)["label"]!["en"] = "Calm and relaxed";
        });
        var second = await new ProtocolImporter(db, clock).ImportAsync(changed, Actor.Cli, CancellationToken.None);

        Assert.True(second.Succeeded);
        Assert.Equal(2, second.Version);
        Assert.Contains("instrument 'mood' changed: version 1 is frozen because answers refer to it, so version 2 was created; those answers stay with version 1", second.Changes);
        await using var check = database.CreateContext();
        var versions = await check.InstrumentVersions.Include(v => v.Items).Where(v => v.InstrumentId == v1.InstrumentId).OrderBy(v => v.Version).ToListAsync();
        Assert.Equal([1, 2], versions.Select(v => v.Version));
        Assert.Equal("Calm", versions[0].Items.Single(i => i.Code == "mood_1").Label["en"]);
        Assert.Equal("Calm and relaxed", versions[1].Items.Single(i => i.Code == "mood_1").Label["en"]);
        var stored = await check.Answers.SingleAsync(a => a.Id == answer.Id);
        Assert.Equal(versions[0].Items.Single(i => i.Code == "mood_1").Id, stored.ItemId);
        Assert.Equal(versions[0].Id, (await check.Responses.SingleAsync(r => r.Id == stored.ResponseId)).InstrumentVersionId);
        var exported = ProtocolValidator.Validate((await ProtocolExporter.ExportAsync(check, "mini-frozen", CancellationToken.None))!).Protocol!;
        Assert.Equal("Calm and relaxed", exported.Instruments[0].Items[0].Label["en"]);
    }

    [Fact]
    public async Task Changed_instrument_without_answers_is_updated_in_place()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        await using var db = database.CreateContext();
        var first = await new ProtocolImporter(db, clock).ImportAsync(MiniProtocol.With(d => d["study"]!["code"] = "mini-open"), Actor.Cli, CancellationToken.None);
        var changed = MiniProtocol.With(d =>
        {
            d["study"]!["code"] = "mini-open";
            MiniProtocol.Item(d, 1)["max"] = 7;
            MiniProtocol.Wave(d, 1)["window"]!["closes_days"] = 35;
        });
        var second = await new ProtocolImporter(db, clock).ImportAsync(changed, Actor.Cli, CancellationToken.None);

        Assert.True(second.Succeeded);
        Assert.Contains("instrument 'mood' changed: version 1 had no answers yet and was updated in place", second.Changes);
        Assert.Contains("wave 'followup': window changed (future sends only)", second.Changes);
        await using var check = database.CreateContext();
        var version = await check.InstrumentVersions.Include(v => v.Items).SingleAsync(v => v.Instrument!.StudyId == first.StudyId);
        Assert.Equal(7m, version.Items.Single(i => i.Code == "mood_2").Max);
        Assert.Equal(2, await check.ProtocolVersions.CountAsync(v => v.StudyId == first.StudyId));
        Assert.Equal(2, await check.AuditEntries.CountAsync(a => a.StudyId == first.StudyId && a.Action == "protocol.import"));
    }

    /// <summary>Stores one answer the way the participant pages would: invitation, response, answer.</summary>
    private static async Task<RecoveryStudy.Survey.Answer> AnswerAsync(RecoveryStudy.Data.StudyDbContext db, int studyId, RecoveryStudy.Instruments.InstrumentVersion version, string itemCode, int value)
    {
        var wave = await db.Waves.FirstAsync(w => w.StudyId == studyId);
        var participant = new RecoveryStudy.Participants.Participant { StudyId = studyId, Code = "P-" + Guid.NewGuid().ToString("N")[..6], Role = "trainee", Language = "en", TimeZone = "Europe/Copenhagen" };
        db.Participants.Add(participant);
        await db.SaveChangesAsync();
        var invitation = new RecoveryStudy.Scheduling.Invitation
        {
            StudyId = studyId, ParticipantId = participant.Id, WaveId = wave.Id, DueDate = new DateOnly(2026, 2, 23),
            OpensAt = new DateTime(2026, 2, 16, 8, 0, 0, DateTimeKind.Utc), ClosesAt = new DateTime(2026, 3, 16, 8, 0, 0, DateTimeKind.Utc),
        };
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync();
        var answer = new RecoveryStudy.Survey.Answer { ItemId = version.Items.Single(i => i.Code == itemCode).Id, NumericValue = value };
        db.Responses.Add(new RecoveryStudy.Survey.Response { InvitationId = invitation.Id, InstrumentVersionId = version.Id, Answers = [answer] });
        await db.SaveChangesAsync();
        return answer;
    }
}
