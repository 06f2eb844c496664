using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.StaffConsole;

/// <summary>The console's English pages show item labels in English when the study has them, whatever its default language.</summary>
public sealed class ConsoleLanguageTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Distribution_page_shows_english_item_labels_of_a_study_whose_default_language_is_polish()
    {
        int studyId;
        await using (var db = database.CreateContext())
        {
            var study = (await AnalystWorld.CreateAsync(db)).Study;
            studyId = study.Id;
            await db.Studies.Where(s => s.Id == studyId).ExecuteUpdateAsync(u => u.SetProperty(s => s.Languages, new[] { "en", "pl" }).SetProperty(s => s.DefaultLanguage, "pl"));
            var wb1 = await db.Items.SingleAsync(i => i.Code == "wb1" && db.InstrumentVersions.Any(v => v.Id == i.InstrumentVersionId && db.Instruments.Any(n => n.Id == v.InstrumentId && n.StudyId == studyId)));
            wb1.Label = new LocalizedText { ["en"] = "I have felt cheerful", ["pl"] = "Czułem się radosny" };
            await db.SaveChangesAsync();
        }
        await using var check = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(check, StaffRole.Analyst);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, user.Email);

        var html = await client.GetStringAsync(new Uri($"/studies/{studyId}/distribution?wave=baseline&instrument=wellbeing", UriKind.Relative));
        var caption = new HtmlParser().ParseDocument(html).QuerySelector("#dist-wellbeing-wb1 caption")?.TextContent ?? "(no table)";
        Assert.Contains("I have felt cheerful", caption, StringComparison.Ordinal);
        Assert.DoesNotContain("Czułem", caption, StringComparison.Ordinal);
    }
}
