using RecoveryStudy.Data;
using RecoveryStudy.Instruments;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Tests.Survey;

public sealed class AnswerRulesTests
{
    [Fact]
    public void A_scale_labelled_only_at_its_ends_offers_every_point_in_order()
    {
        var item = Item(ItemType.Rating, min: 1, max: 5, options: [(1, "1 - not at all"), (5, "5 - very much")]);
        var choices = AnswerRules.Choices(item);
        Assert.Equal([1, 2, 3, 4, 5], choices.Select(c => c.Code));
        Assert.Equal(["1 - not at all", null, null, null, "5 - very much"], choices.Select(c => c.Label?.For("en")));
    }

    [Fact]
    public void A_fully_labelled_scale_keeps_the_protocol_order()
    {
        var item = Item(ItemType.Rating, min: 0, max: 5, options: [(5, "All"), (4, "Most"), (3, "More"), (2, "Less"), (1, "Some"), (0, "None")]);
        Assert.Equal([5, 4, 3, 2, 1, 0], AnswerRules.Choices(item).Select(c => c.Code));
    }

    [Fact]
    public void Yes_is_1_and_no_is_0()
    {
        Assert.Equal([AnswerRules.YesCode, AnswerRules.NoCode], AnswerRules.Choices(Item(ItemType.YesNo)).Select(c => c.Code));
        Assert.Equal(0m, AnswerRules.Check(Item(ItemType.YesNo), ["0"], true).Value!.NumericValue);
    }

    [Theory]
    [InlineData("12,5", 12.5)]
    [InlineData(" 7 ", 7)]
    [InlineData("-0.25", -0.25)]
    public void A_number_accepts_a_decimal_comma_or_point(string raw, double expected) =>
        Assert.Equal((decimal)expected, AnswerRules.Check(Item(ItemType.Number), [raw], true).Value!.NumericValue);

    [Theory]
    [InlineData("1 000")]
    [InlineData("1,000.5")]
    [InlineData("NaN")]
    [InlineData("12abc")]
    public void A_number_refuses_anything_else(string raw) =>
        Assert.Equal("ErrorNumber", AnswerRules.Check(Item(ItemType.Number), [raw], true).Problem!.Key);

    [Fact]
    public void Text_counts_a_line_break_once_drops_control_characters_and_trims()
    {
        var item = Item(ItemType.LongText, max: 5);
        Assert.Equal("a\nb", AnswerRules.Check(item, ["  a\r\nb\0 "], true).Value!.TextValue);
        Assert.Equal(new FieldProblem("ErrorTooLong", 5, 6).Key, AnswerRules.Check(item, ["abcdef"], true).Problem!.Key);
    }

    [Fact]
    public void Several_values_for_a_single_answer_are_refused_and_repeated_codes_are_stored_once()
    {
        Assert.Equal("ErrorChooseOne", AnswerRules.Check(Item(ItemType.YesNo), ["1", "0"], true).Problem!.Key);
        var multiple = Item(ItemType.MultipleChoice, options: [(1, "a"), (2, "b")]);
        Assert.Equal([1, 2], AnswerRules.Check(multiple, ["2", "1", "2"], true).Value!.Codes ?? []);
    }

    [Fact]
    public void An_empty_required_answer_is_asked_for_only_when_answers_are_required()
    {
        var item = Item(ItemType.ShortText);
        item.Required = true;
        Assert.Equal("ErrorRequired", AnswerRules.Check(item, ["  "], true).Problem!.Key);
        Assert.Equal(new AnswerCheck(null, null), AnswerRules.Check(item, [], false));
    }

    private static Item Item(string type, decimal? min = null, decimal? max = null, (int Code, string Label)[]? options = null) => new()
    {
        Id = 1, Code = "x", Type = type, Min = min, Max = max,
        Options = (options ?? []).Select((o, i) => new ItemOption { Code = o.Code, Position = i + 1, Label = new LocalizedText { ["en"] = o.Label } }).ToList(),
    };
}
