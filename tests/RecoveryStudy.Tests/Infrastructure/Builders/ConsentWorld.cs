using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Studies;

namespace RecoveryStudy.Tests.Infrastructure.Builders;

/// <summary>A <see cref="SurveyWorld"/> whose study's current protocol asks consent: two required clauses and one optional.</summary>
public static class ConsentWorld
{
    public const string TakePart = "I agree to take part in the study.";
    public const string DataUse = "I agree that my answers are stored and analysed without my name.";
    public const string FutureContact = "You may contact me about future studies.";
    public const string ConsentText = "The study asks about your recovery after the course.\nYou may stop at any time.";

    public static JsonObject Consent(int version = 1, bool reconsent = false) => new()
    {
        ["code"] = "main",
        ["version"] = version,
        ["reconsent"] = reconsent,
        ["title"] = Text("Consent to take part", "Zgoda na udział", "Samtykke til deltagelse"),
        ["text"] = Text(ConsentText, "Badanie pyta o Twój powrót do zdrowia.", "Undersøgelsen spørger om din bedring."),
        ["clauses"] = new JsonArray(
            Clause("take_part", TakePart, "Zgadzam się wziąć udział.", "Jeg vil deltage.", true),
            Clause("data_use", DataUse, "Zgadzam się na analizę odpowiedzi.", "Mine svar må analyseres.", true),
            Clause("future_contact", FutureContact, "Możecie się ze mną skontaktować.", "I må kontakte mig.", false)),
    };

    /// <summary>Makes a protocol version holding <paramref name="consent"/> the study's current one, and gives the participant an address.</summary>
    public static async Task<ProtocolVersion> AskAsync(StudyDbContext db, SurveyWorld world, JsonObject consent, string? email = null)
    {
        var version = (await db.ProtocolVersions.Where(p => p.StudyId == world.Study.Id).MaxAsync(p => (int?)p.Version) ?? 0) + 1;
        var document = new JsonObject { ["format"] = 1, ["consent"] = consent }.ToJsonString();
        var stored = new ProtocolVersion
        {
            StudyId = world.Study.Id, Version = version, Document = document, Sha256 = new string('0', 64), ImportedAt = DateTime.UtcNow,
        };
        db.ProtocolVersions.Add(stored);
        await db.SaveChangesAsync();
        await db.Studies.Where(s => s.Id == world.Study.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.CurrentProtocolVersionId, stored.Id));
        if (email is not null && !await db.ContactDetails.AnyAsync(c => c.ParticipantId == world.Participant.Id))
        {
            db.ContactDetails.Add(new ContactDetails
            {
                ParticipantId = world.Participant.Id, StudyId = world.Study.Id, Email = email, FirstName = "Ada", UpdatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }
        return stored;
    }

    private static JsonObject Clause(string code, string en, string pl, string da, bool required) => new()
    {
        ["code"] = code, ["text"] = Text(en, pl, da), ["required"] = required,
    };

    private static JsonObject Text(string en, string pl, string da) => new() { ["en"] = en, ["pl"] = pl, ["da"] = da };
}
