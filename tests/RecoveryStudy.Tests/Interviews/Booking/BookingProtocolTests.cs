using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Interviews.Booking;

/// <summary>The interview wave's `booking` option: validated, in the schema, imported and exported; refused on a questionnaire wave.</summary>
public sealed class BookingProtocolTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task An_interview_wave_with_booking_imports_and_exports_it()
    {
        var json = MiniProtocol.With(d =>
        {
            d["study"]!["code"] = "mini-book";
            var wave = MiniProtocol.InterviewWave();
            wave["booking"] = true;
            d["waves"]!.AsArray().Add(wave);
        });
        Assert.Empty(ProtocolValidator.Validate(json).Problems);
        using (var document = JsonDocument.Parse(json))
        {
            Assert.True(RecoveryStudy.Tests.Protocol.ProtocolSchemaTests.Schema.Evaluate(document.RootElement).IsValid);
        }
        await using var db = database.CreateContext();
        var import = await new ProtocolImporter(db, new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero))).ImportAsync(json, Actor.Cli, CancellationToken.None);
        Assert.True(import.Succeeded, string.Join("; ", import.Problems));
        Assert.True((await db.Waves.AsNoTracking().SingleAsync(w => w.StudyId == import.StudyId && w.Code == "interview")).InterviewBooking);

        var exported = JsonNode.Parse((await ProtocolExporter.ExportAsync(db, "mini-book", CancellationToken.None))!)!["waves"]!.AsArray();
        Assert.True((bool?)exported[2]!["booking"]);
        Assert.False(exported[0]!.AsObject().ContainsKey("booking"));
    }

    [Fact]
    public void Booking_on_a_questionnaire_wave_or_not_a_boolean_is_refused_at_its_path()
    {
        var questionnaire = MiniProtocol.With(d => d["waves"]![0]!["booking"] = true);
        Assert.Equal("$.waves[0].booking", Assert.Single(ProtocolValidator.Validate(questionnaire).Problems).Path);
        using (var document = JsonDocument.Parse(questionnaire))
        {
            Assert.False(RecoveryStudy.Tests.Protocol.ProtocolSchemaTests.Schema.Evaluate(document.RootElement).IsValid);
        }
        var text = MiniProtocol.With(d =>
        {
            var wave = MiniProtocol.InterviewWave();
            wave["booking"] = "yes";
            d["waves"]!.AsArray().Add(wave);
        });
        Assert.Equal(new ProtocolProblem("$.waves[2].booking", "must be true or false"), Assert.Single(ProtocolValidator.Validate(text).Problems));
    }
}
