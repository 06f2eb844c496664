using AngleSharp.Html.Parser;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.StaffConsole.Studies;

/// <summary>The dashboard's steps table per cohort, and cohorts named by their names rather than their codes.</summary>
public sealed class DashboardCohortStepsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Each_cohort_has_its_own_steps_rows_and_is_shown_by_name()
    {
        await using var db = database.CreateContext();
        var world = await ConsoleWorld.CreateAsync(db);
        var analyst = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, analyst.Email);

        var page = new HtmlParser().ParseDocument(await client.GetStringAsync(new Uri($"/studies/{world.Study.Id}", UriKind.Relative)));
        string Step(string cohort, string step, string figure) =>
            page.QuerySelector($"#steps-by-cohort tr[data-wave='baseline'][data-cohort='{cohort}'][data-step='{step}'] td[data-figure='{figure}']")?.TextContent.Trim() ?? "(missing)";

        // ed8: invitations to P-0001..4 and P-0006, reminder 1 to P-0002..4; P-0001 completed after the invitation, P-0002 after reminder 1.
        Assert.Equal(("5", "1"), (Step("ed8", "invitation", "sent"), Step("ed8", "invitation", "completed")));
        Assert.Equal(("3", "1"), (Step("ed8", "reminder 1", "sent"), Step("ed8", "reminder 1", "completed")));
        // fact1: P-0007 completed after reminder 2.
        Assert.Equal(("2", "0"), (Step("fact1", "invitation", "sent"), Step("fact1", "invitation", "completed")));
        Assert.Equal(("1", "1"), (Step("fact1", "reminder 2", "sent"), Step("fact1", "reminder 2", "completed")));
        Assert.Equal("Course edition 8", page.QuerySelector("#steps-by-cohort tr[data-cohort='ed8'] td")?.TextContent);
        Assert.Equal("FACT team 1", page.QuerySelector("#response-table tr[data-wave='baseline'][data-cohort='fact1'] td")?.TextContent);
    }
}
