using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Survey;

/// <summary>Posted values that are not answers are refused with a clear message, and nothing stored changes.</summary>
public sealed class BadInputTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(database.ConnectionString);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("mod_useful", "9", "Please choose one of the options.")]
    [InlineData("mod_useful", "0", "Please choose one of the options.")]
    [InlineData("mod_useful", "four", "Please choose one of the options.")]
    [InlineData("recommend", "2", "Please choose one of the options.")]
    [InlineData("recommend", "yes", "Please choose one of the options.")]
    [InlineData("attended", "1.5", "Please choose one of the options.")]
    public async Task A_choice_outside_the_options_is_refused_beside_its_field(string field, string value, string message)
    {
        var (world, client) = await StartAsync();
        var fields = new Dictionary<string, string> { ["mod_useful"] = "4", ["recommend"] = "1", ["attended"] = "1", [field] = value };
        var response = await SurveyHttp.PostPageAsync(client, 1, fields.Select(f => (f.Key, f.Value)).ToArray());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = ParticipantClient.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("Error:", page.Title, StringComparison.Ordinal);
        Assert.Contains(message, page.QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(message, page.QuerySelector($"#e-{field}")!.TextContent, StringComparison.Ordinal);
        Assert.Equal($"#q-{field}-", page.QuerySelector(".error-summary a")!.GetAttribute("href")![..(field.Length + 4)]);
        // What was typed for the other questions is still there.
        Assert.NotNull(page.QuerySelector(field == "mod_useful" ? "#q-recommend-1[checked]" : "#q-mod_useful-4[checked]"));
        await AssertNothingStoredAsync(world);
    }

    [Theory]
    [InlineData("hours", "twelve", "Please enter a number, for example 12 or 2.5.")]
    [InlineData("hours", "1e3", "Please enter a number, for example 12 or 2.5.")]
    [InlineData("hours", "101", "Please enter a number from 0 to 100.")]
    [InlineData("hours", "-1", "Please enter a number from 0 to 100.")]
    [InlineData("finished_on", "31/12/2026", "Please enter a date as year-month-day, for example 2025-03-31.")]
    [InlineData("finished_on", "2026-02-30", "Please enter a date as year-month-day, for example 2025-03-31.")]
    [InlineData("topics", "7", "Please choose only from the options shown.")]
    public async Task A_value_of_the_wrong_type_or_out_of_range_is_refused_and_the_input_is_kept(string field, string value, string message)
    {
        var (world, client) = await StartAsync();
        await SurveyHttp.AnswerFirstPagesAsync(client);
        var before = await AnswerCountAsync(world);
        var fields = new Dictionary<string, string> { ["hours"] = "10", ["comments"] = "Kept as typed", [field] = value };
        var response = await SurveyHttp.PostPageAsync(client, 3, fields.Select(f => (f.Key, f.Value)).ToArray());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var page = ParticipantClient.Parse(html);
        Assert.Contains(message, page.QuerySelector($"#e-{field}")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Kept as typed", page.QuerySelector("#q-comments")!.TextContent);
        if (field != "topics")
        {
            Assert.Equal(value, page.QuerySelector($"#q-{field}")!.GetAttribute("value"));
        }
        Assert.Equal(before, await AnswerCountAsync(world));
    }

    [Fact]
    public async Task An_oversized_text_is_refused_with_its_length_and_kept_in_the_field()
    {
        var (world, client) = await StartAsync();
        await SurveyHttp.AnswerFirstPagesAsync(client);
        var before = await AnswerCountAsync(world);
        var text = new string('x', 5000);
        var response = await SurveyHttp.PostPageAsync(client, 3, ("hours", "10"), ("comments", text));

        var page = ParticipantClient.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("Please use at most 4000 characters (now 5000).", page.QuerySelector("#e-comments")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(text, page.QuerySelector("#q-comments")!.TextContent);
        Assert.Equal(before, await AnswerCountAsync(world));
    }

    [Fact]
    public async Task A_form_too_large_to_read_is_refused_with_a_page_that_says_nothing_was_saved()
    {
        var (world, client) = await StartAsync();
        var response = await SurveyHttp.PostPageAsync(client, 1, ("mod_useful", "4"), ("recommend", "1"), ("attended", "1"), ("comments", new string('x', 200_000)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("nothing was saved", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNothingStoredAsync(world);
    }

    [Theory]
    [InlineData("no_such_item")]
    [InlineData("not_recommend_why")]
    [InlineData("who_1")]
    public async Task A_field_for_a_hidden_unknown_or_other_page_item_refuses_the_whole_page(string field)
    {
        var (world, client) = await StartAsync();
        await SurveyHttp.AnswerFirstPagesAsync(client);
        var before = await AnswerCountAsync(world);
        var response = await SurveyHttp.PostPageAsync(client, 3, ("hours", "10"), (field, "1"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = ParticipantClient.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("did not match the questions on this page, so nothing was saved", page.QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("#q-not_recommend_why"));
        Assert.Equal(before, await AnswerCountAsync(world));
    }

    [Fact]
    public async Task A_post_without_the_anti_forgery_token_is_refused_and_changes_nothing()
    {
        var (world, client) = await StartAsync();
        await client.GetAsync("/survey/page/1");
        var response = await client.PostAsync("/survey/page/1", [new("nav", "next"), new("mod_useful", "4"), new("recommend", "1"), new("attended", "1")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Your page could not be saved", body, StringComparison.Ordinal);
        Assert.Contains("nothing was saved", body, StringComparison.Ordinal);
        await AssertNothingStoredAsync(world);
    }

    [Fact]
    public async Task A_post_without_a_session_saves_nothing()
    {
        var (world, client) = await StartAsync();
        using var stranger = new ParticipantClient(app);
        var (_, html, _) = await client.GetAsync("/survey/page/1");
        var response = await stranger.PostAsync("/survey/page/1", [new("__rs_af", ParticipantClient.AntiforgeryToken(html)), new("nav", "next"), new("mod_useful", "4")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertNothingStoredAsync(world);
    }

    private async Task<(SurveyWorld World, ParticipantClient Client)> StartAsync()
    {
        await using var db = database.CreateContext();
        var world = await SurveyWorld.CreateAsync(db);
        return (world, await SurveyHttp.OpenAsync(app, world));
    }

    private async Task<int> AnswerCountAsync(SurveyWorld world)
    {
        await using var db = database.CreateContext();
        return await db.Answers.CountAsync(a => db.Responses.Any(r => r.Id == a.ResponseId && r.InvitationId == world.Invitation.Id));
    }

    private async Task AssertNothingStoredAsync(SurveyWorld world)
    {
        await using var db = database.CreateContext();
        Assert.False(await db.Responses.AnyAsync(r => r.InvitationId == world.Invitation.Id));
        Assert.Null((await db.Invitations.SingleAsync(i => i.Id == world.Invitation.Id)).LastSavedAt);
    }
}
