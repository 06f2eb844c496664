using System.Globalization;
using System.Text;
using RecoveryStudy.Data;
using RecoveryStudy.Exports;
using RecoveryStudy.Instruments;
using RecoveryStudy.Survey;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using static RecoveryStudy.Tests.Infrastructure.Builders.AnalystWorldBuilder;

namespace RecoveryStudy.Tests.Exports;

/// <summary>
/// Every item shape the protocol format allows, answered through the survey's own checks
/// (<see cref="AnswerRules"/>), exported, then read back by the R script (Rscript), the SPSS syntax
/// (GNU PSPP) and the Stata do-file (<see cref="StataDoReader"/>): the same values come back,
/// missing-reason codes included.
/// </summary>
public sealed class ItemShapeRoundTripTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("rs-shapes-").FullName;
    private string study = "";

    private static Item[] Items() =>
    [
        Plain(ItemType.Section, "intro", "Please answer"),
        Choice(ItemType.SingleChoice, "sc", "Single choice", (1, "One"), (2, "Two"), (3, "Three")),
        Choice(ItemType.MultipleChoice, "mc", "Multiple choice", (1, "A"), (2, "B"), (5, "E")),
        Rating("rall", "Every point labelled", 0, 4, "none", "little", "some", "much", "all"),
        new Item { Code = "rends", Type = ItemType.Rating, Label = new() { ["en"] = "Ends labelled" }, Min = 1, Max = 6,
            Options = [new ItemOption { Code = 1, Position = 0, Label = new() { ["en"] = "not at all" } }, new ItemOption { Code = 6, Position = 1, Label = new() { ["en"] = "very much" } }] },
        new Item { Code = "rbare", Type = ItemType.Rating, Label = new() { ["en"] = "Unlabelled" }, Min = 1, Max = 7 },
        new Item { Code = "gate", Type = ItemType.YesNo, Label = new() { ["en"] = "Did you?" } },
        new Item { Code = "behind", Type = ItemType.Rating, Label = new() { ["en"] = "Behind the gate" }, Min = 1, Max = 5, ShowIfItemCode = "gate", ShowIfCodes = [1] },
        new Item { Code = "num", Type = ItemType.Number, Label = new() { ["en"] = "A number" }, Min = 0, Max = 100 },
        Plain(ItemType.Date, "day", "A date"),
        Plain(ItemType.ShortText, "short", "Short text"),
        Plain(ItemType.LongText, "long", "Long text"),
    ];

    /// <summary>What each participant posts on the survey page, item by item; a missing key is an item left empty.</summary>
    private static readonly Dictionary<string, Dictionary<string, string[]>> Posted = new()
    {
        ["S-1"] = new() { ["sc"] = ["2"], ["mc"] = ["1", "5"], ["rall"] = ["0"], ["rends"] = ["3"], ["rbare"] = ["7"], ["gate"] = ["1"], ["behind"] = ["4"], ["num"] = ["12,5"], ["day"] = ["2026-03-01"], ["short"] = ["a, \"quoted\" text"], ["long"] = ["two\nlines"] },
        ["S-2"] = new() { ["sc"] = ["3"], ["rall"] = ["4"], ["rends"] = ["5"], ["rbare"] = ["2"], ["gate"] = ["0"], ["num"] = ["0"] },
        ["S-3"] = new() { ["rends"] = ["2"], ["gate"] = ["1"], ["mc"] = ["2"] },
    };

    public async Task InitializeAsync()
    {
        await using var db = database.CreateContext();
        var w = new AnalystWorldBuilder(db);
        await w.StudyAsync("sh" + Guid.NewGuid().ToString("N")[..8], "w1");
        var version = await w.InstrumentAsync("shapes", 1, Items(), null, "w1");
        study = w.Study.Code;
        var number = 0;
        foreach (var (code, posted) in Posted)
        {
            var participant = await w.ParticipantAsync(code, "trainee", null, $"s{++number}@example.org", "Test Person");
            var invitation = await w.InviteAsync(participant, "w1", InvitationStatus.Completed);
            var answers = new List<(string, object)>();
            foreach (var (item, raw) in posted)
            {
                var check = AnswerRules.Check(version.Items.Single(i => i.Code == item), raw, required: false);
                Assert.Null(check.Problem);
                var a = check.Value!;
                answers.Add((item, a.Codes is { } codes ? codes : a.NumericValue is { } n ? n : a.DateValue is { } d ? d : (object)a.TextValue!));
            }
            await w.RespondAsync(invitation, "shapes", 1, ResponseStatus.Complete, [.. answers]);
        }
        await w.InviteAsync(await w.ParticipantAsync("S-4", "trainee", null, "s4@example.org", "Test Person"), "w1", InvitationStatus.Expired);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    private static readonly string[] Numeric = ["sc", "mc_1", "mc_2", "mc_5", "rall", "rends", "rbare", "gate", "behind", "num"];

    [Fact]
    public async Task Every_item_shape_comes_back_the_same_from_r_spss_and_stata()
    {
        await using var db = database.CreateContext();
        var layout = (await StudyLayout.LoadAsync(db, study, CancellationToken.None))!;
        var request = new ExportRequest(TableKind.Wide, "w1");
        var table = DatasetExport.CreateTable(layout, request).Table!;
        var bytes = await ExportRunner.ExportAsync(database, study, request);
        await File.WriteAllBytesAsync(Path.Combine(folder, table.Name + ".csv"), bytes);
        var csv = Csv.Parse(Encoding.UTF8.GetString(bytes));
        // The export itself: values and reasons as the survey stored them.
        Assert.Equal(("2", "1", "0", "1", "12.5", "2026-03-01", "two lines"), (csv.Value("S-1", "sc"), csv.Value("S-1", "mc_1"), csv.Value("S-1", "mc_2"), csv.Value("S-1", "mc_5"), csv.Value("S-1", "num"), csv.Value("S-1", "day"), csv.Value("S-1", "long")));
        Assert.Equal(("-2", "-1", "-7", "-7"), (csv.Value("S-2", "behind"), csv.Value("S-3", "behind"), csv.Value("S-4", "rends"), csv.Value("S-4", "behind")));

        await File.WriteAllTextAsync(Path.Combine(folder, table.Name + ".R"), RScript.For(table), new UTF8Encoding(false));
        await File.WriteAllTextAsync(Path.Combine(folder, "back.R"), $$"""
            source("{{table.Name}}.R")
            out <- data.frame(participant = d$participant)
            for (v in c({{string.Join(", ", Numeric.Select(n => $"\"{n}\""))}})) {
              x <- d[[v]]
              out[[v]] <- ifelse(is.na(x), as.character(why_missing[[v]]), if (is.factor(x)) as.character(x) else as.character(x))
            }
            for (v in c("rall", "rends", "rbare", "behind")) out[[paste0(v, "_f")]] <- as.character(d[[paste0(v, "_f")]])
            for (v in c("day", "short", "long")) out[[v]] <- d[[v]]
            write.csv(out, "r_back.csv", row.names = FALSE, na = "", fileEncoding = "UTF-8")
            """);
        var (rExit, rOutput) = await ExternalTool.RunAsync("Rscript", folder, "back.R");
        Assert.True(rExit == 0, rOutput);
        var r = Csv.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "r_back.csv")));

        await File.WriteAllTextAsync(Path.Combine(folder, "back.sps"), SpssSyntax.For(table)
            + $"SAVE TRANSLATE /OUTFILE='spss_back.csv' /TYPE=CSV /FIELDNAMES /REPLACE /KEEP=participant {string.Join(" ", Numeric)} day short long.\n", new UTF8Encoding(false));
        var (sExit, sOutput) = await ExternalTool.RunAsync("pspp", folder, "back.sps");
        Assert.True(sExit == 0 && !sOutput.Contains("error", StringComparison.OrdinalIgnoreCase), sOutput);
        var spss = Csv.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "spss_back.csv")));

        var stata = StataDoReader.Parse(StataDo.For(table), csv.Header.Count);
        var labels = table.Columns.ToDictionary(c => c.Name);
        foreach (var participant in new[] { "S-1", "S-2", "S-3", "S-4" })
        {
            foreach (var variable in Numeric)
            {
                var value = csv.Value(participant, variable);
                var code = double.Parse(value, CultureInfo.InvariantCulture);
                var column = labels[variable];
                // R: a value, its factor label for a choice, or the reason of a missing code.
                var inR = code < 0 ? MissingCode.Name((int)code)
                    : column.ItemType is ItemType.SingleChoice or ItemType.YesNo or ItemType.MultipleChoice ? column.ValueCodes.Single(v => v.Code == (int)code).Label
                    : value;
                Assert.Equal(inR, r.Value(participant, variable));
                Assert.Equal(code, double.Parse(spss.Value(participant, variable), CultureInfo.InvariantCulture));
                Assert.Equal(code < 0 ? StataDo.Extended((int)code) : code.ToString("R", CultureInfo.InvariantCulture), stata.Value(variable, value));
            }
            foreach (var variable in new[] { "day", "short", "long" })
            {
                Assert.Equal(csv.Value(participant, variable), r.Value(participant, variable));
                Assert.Equal(csv.Value(participant, variable), spss.Value(participant, variable).TrimEnd());
                Assert.Equal(csv.Value(participant, variable), stata.Value(variable, csv.Value(participant, variable)));
            }
        }
        // Rating factors keep every point: 3 of the ends-labelled scale and 7 of the bare one are levels, not NA.
        Assert.Equal(("3", "7", "none", "all"), (r.Value("S-1", "rends_f"), r.Value("S-1", "rbare_f"), r.Value("S-1", "rall_f"), r.Value("S-2", "rall_f")));
    }
}
