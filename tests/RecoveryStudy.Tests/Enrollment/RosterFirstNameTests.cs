using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Enrollment;

/// <summary>
/// The optional first_name roster column, for the greeting in emails: stored when given, left alone
/// by a roster without the column, cleared by an empty cell, refused when too long (nothing stored).
/// </summary>
public sealed class RosterFirstNameTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private async Task<string> StudyAsync()
    {
        await using var db = database.CreateContext();
        return await RosterTestStudy.CreateAsync(db);
    }

    private async Task<Dictionary<string, string?>> FirstNamesAsync(string study)
    {
        await using var check = database.CreateContext();
        return await check.Participants.Include(p => p.Contact).Where(p => p.StudyId == check.Studies.Single(s => s.Code == study).Id)
            .ToDictionaryAsync(p => p.Code, p => p.Contact!.FirstName);
    }

    [Fact]
    public async Task First_names_are_stored_kept_without_the_column_and_cleared_by_an_empty_cell()
    {
        var study = await StudyAsync();
        var clock = RosterTestStudy.Clock();
        await using (var db = database.CreateContext())
        {
            var result = await RosterTestStudy.ImportAsync(db, clock, study, "code,email,name,first_name,cohort\nP-1,a@example.org,Anna Nowak,Anna,ed-1\nP-2,b@example.org,Bo Berg,,ed-1\n");
            Assert.Empty(result.Errors);
        }
        Assert.Equal(new Dictionary<string, string?> { ["P-1"] = "Anna", ["P-2"] = null }, await FirstNamesAsync(study));

        await using (var db = database.CreateContext())
        {
            var without = await RosterTestStudy.ImportAsync(db, clock, study, "code,email,name,cohort\nP-1,a@example.org,Anna Nowak,ed-1\nP-2,b@example.org,Bo Berg,ed-1\n");
            Assert.Equal((0, 0, 2), (without.Created, without.Updated, without.Unchanged));
        }
        Assert.Equal("Anna", (await FirstNamesAsync(study))["P-1"]);

        await using (var db = database.CreateContext())
        {
            var cleared = await RosterTestStudy.ImportAsync(db, clock, study, "code,email,first_name,name,cohort\nP-1,a@example.org,,Anna Nowak,ed-1\nP-2,b@example.org,Bo,Bo Berg,ed-1\n");
            Assert.Equal(["P-1: first name changed", "P-2: first name changed"], cleared.Changes.Order());
        }
        Assert.Equal(new Dictionary<string, string?> { ["P-1"] = null, ["P-2"] = "Bo" }, await FirstNamesAsync(study));
    }

    [Fact]
    public async Task A_first_name_over_100_characters_is_refused_with_line_and_column_and_nothing_is_stored()
    {
        var study = await StudyAsync();
        await using var db = database.CreateContext();

        var result = await RosterTestStudy.ImportAsync(db, RosterTestStudy.Clock(), study,
            $"code,email,first_name,cohort\nP-1,a@example.org,Anna,ed-1\nP-2,b@example.org,{new string('x', 101)},ed-1\n");

        var problem = Assert.Single(result.Errors);
        Assert.Equal((3, "first_name"), (problem.Line, problem.Field));
        Assert.Contains("at most 100 characters", problem.Message);
        Assert.Empty(await FirstNamesAsync(study));
    }
}
