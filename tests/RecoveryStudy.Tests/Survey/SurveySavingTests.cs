using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using RecoveryStudy.Data;
using RecoveryStudy.Instruments;
using RecoveryStudy.Survey;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Survey;

/// <summary>Pages, show-if, pinned versions, saving and completion, straight against the database.</summary>
public sealed class SurveySavingTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task The_wave_is_cut_into_pages_by_instrument_section_and_same_page_condition()
    {
        var world = await CreateAsync();
        await using var db = database.CreateContext();
        var state = (await SurveyState.LoadAsync(db, world.Invitation.Id, default))!;

        Assert.Equal(
            ["mod_useful recommend attended", "attended_why", "topics hours not_recommend_why finished_on comments", "who_1 who_2"],
            state.Pages.Select(p => string.Join(' ', p.Questions.Select(q => q.Code))));
        Assert.Equal(["s_course", "s_course", "s_views", null], state.Pages.Select(p => p.Section?.Code));
        Assert.Equal([true, false, false, true], state.Pages.Select(p => p.FirstOfInstrument));
        // Before any answer, the follow-up page is hidden: its condition is not met.
        Assert.Equal([1, 3, 4], state.ShownPages.Select(p => p.Number));
    }

    [Fact]
    public async Task A_new_response_pins_the_newest_version_and_an_answered_one_keeps_its_version()
    {
        var world = await CreateAsync();
        await SaveAsync(world, 1, ("mod_useful", "4"), ("recommend", "1"), ("attended", "1"));
        await using (var db = database.CreateContext())
        {
            db.InstrumentVersions.Add(new InstrumentVersion
            {
                InstrumentId = world.Course.InstrumentId, Version = 3, ContentHash = "v3", CreatedAt = clock.GetUtcNow().UtcDateTime,
                Items = [new Item { Code = "new_question", Type = ItemType.ShortText, Position = 1, Label = SurveyWorld.Text("New") }],
            });
            db.InstrumentVersions.Add(new InstrumentVersion
            {
                InstrumentId = world.Wellbeing.InstrumentId, Version = 2, ContentHash = "w2", CreatedAt = clock.GetUtcNow().UtcDateTime,
                Items = [new Item { Code = "who_new", Type = ItemType.YesNo, Position = 1, Label = SurveyWorld.Text("New") }],
            });
            await db.SaveChangesAsync();
        }
        await using var check = database.CreateContext();
        var state = (await SurveyState.LoadAsync(check, world.Invitation.Id, default))!;
        Assert.Equal(world.Course.Id, state.Versions[0].Id);
        Assert.Equal(2, state.Versions[1].Version);
        Assert.Equal(world.Wellbeing.InstrumentId, state.Versions[1].InstrumentId);
        Assert.Equal(ResponseStatus.InProgress, (await check.Responses.SingleAsync(r => r.InvitationId == world.Invitation.Id)).Status);
    }

    [Fact]
    public async Task An_answer_is_dropped_when_its_condition_turns_false_and_a_hidden_item_is_never_required()
    {
        var world = await CreateAsync();
        await SaveAsync(world, 1, ("mod_useful", "4"), ("recommend", "1"), ("attended", "3"));
        await SaveAsync(world, 2, ("attended_why", "Shifts"));
        Assert.Contains("attended_why", await AnsweredCodesAsync(world));

        await SaveAsync(world, 1, ("mod_useful", "4"), ("recommend", "1"), ("attended", "1"));
        Assert.DoesNotContain("attended_why", await AnsweredCodesAsync(world));

        await SaveAsync(world, 3, ("hours", "2"));
        await SaveAsync(world, 4, ("who_1", "1"), ("who_2", "2"));
        await using var db = database.CreateContext();
        var outcome = await SurveyCompletion.CompleteAsync(db, clock, world.Invitation.Id, default);
        Assert.True(outcome.Completed);
    }

    [Fact]
    public async Task Submit_with_a_required_question_left_open_names_the_page_and_completes_nothing()
    {
        var world = await CreateAsync();
        await SaveAsync(world, 1, ("mod_useful", "4"), ("recommend", "1"), ("attended", "2"));
        await SaveAsync(world, 3, ("hours", "2"));
        await using var db = database.CreateContext();

        var outcome = await SurveyCompletion.CompleteAsync(db, clock, world.Invitation.Id, default);

        Assert.Equal(new CompletionOutcome(false, 2, null), outcome);
        await using var check = database.CreateContext();
        Assert.Equal(InvitationStatus.InProgress, (await check.Invitations.SingleAsync(i => i.Id == world.Invitation.Id)).Status);
        Assert.Equal(3, await check.Messages.CountAsync(m => m.InvitationId == world.Invitation.Id && m.Status == MessageStatus.Queued));
    }

    [Fact]
    public async Task Saving_records_the_time_and_resume_goes_to_the_first_page_not_yet_answered()
    {
        var world = await CreateAsync();
        clock.Advance(TimeSpan.FromMinutes(5));
        await SaveAsync(world, 1, ("mod_useful", "4"), ("recommend", "1"), ("attended", "1"));
        await using var db = database.CreateContext();
        var state = (await SurveyState.LoadAsync(db, world.Invitation.Id, default))!;

        Assert.Equal(clock.GetUtcNow().UtcDateTime, state.Invitation.LastSavedAt);
        Assert.Equal(InvitationStatus.InProgress, state.Invitation.Status);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, state.Responses.Values.Single().UpdatedAt);
        Assert.Equal(3, state.ResumePage()!.Number);
    }

    [Fact]
    public async Task A_closed_window_an_expired_invitation_and_a_withdrawal_refuse_saving()
    {
        foreach (var change in new Action<SurveyWorld, StudyDbContext>[]
        {
            (w, db) => db.Invitations.Where(i => i.Id == w.Invitation.Id).ExecuteUpdate(s => s.SetProperty(i => i.ClosesAt, new DateTime(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc))),
            (w, db) => db.Invitations.Where(i => i.Id == w.Invitation.Id).ExecuteUpdate(s => s.SetProperty(i => i.Status, InvitationStatus.Expired)),
            (w, db) => db.Participants.Where(p => p.Id == w.Participant.Id).ExecuteUpdate(s => s.SetProperty(p => p.Status, ParticipantStatus.Withdrawn)),
        })
        {
            var world = await CreateAsync();
            await using (var db = database.CreateContext())
            {
                change(world, db);
            }
            await using var context = database.CreateContext();
            var outcome = await SurveySaving.SavePageAsync(context, clock, world.Invitation.Id, 1,
                new Dictionary<string, string[]> { ["mod_useful"] = ["4"], ["recommend"] = ["1"], ["attended"] = ["1"] }, true, default);
            Assert.Equal("RefusedNotOpen", outcome.Refusal);
            Assert.Empty(await AnsweredCodesAsync(world));
        }
    }

    private async Task<SurveyWorld> CreateAsync()
    {
        await using var db = database.CreateContext();
        return await SurveyWorld.CreateAsync(db, now: clock.GetUtcNow().UtcDateTime);
    }

    private async Task SaveAsync(SurveyWorld world, int page, params (string Code, string Value)[] values)
    {
        await using var db = database.CreateContext();
        var outcome = await SurveySaving.SavePageAsync(db, clock, world.Invitation.Id, page,
            values.GroupBy(v => v.Code).ToDictionary(g => g.Key, g => g.Select(v => v.Value).ToArray()), true, default);
        Assert.True(outcome.Saved, $"page {page}: {outcome.Refusal} {string.Join(", ", outcome.Problems.Select(p => p.Key + "=" + p.Value.Key))}");
    }

    private async Task<List<string>> AnsweredCodesAsync(SurveyWorld world)
    {
        await using var db = database.CreateContext();
        return await db.Answers.Where(a => db.Responses.Any(r => r.Id == a.ResponseId && r.InvitationId == world.Invitation.Id))
            .Join(db.Items, a => a.ItemId, i => i.Id, (a, i) => i.Code).ToListAsync();
    }
}
