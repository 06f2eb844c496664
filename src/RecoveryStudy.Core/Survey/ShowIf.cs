using RecoveryStudy.Instruments;

namespace RecoveryStudy.Survey;

/// <summary>
/// Evaluates show-if conditions on the server. An item is shown when the earlier item it names
/// is itself shown and its saved answer carries one of the listed codes. Conditions only look
/// within the same instrument version, where item codes are unique.
/// </summary>
public static class ShowIf
{
    // Protocols only point at earlier items, so chains are short; the bound stops a malformed loop.
    private const int MaxDepth = 32;

    public static bool IsVisible(Item item, IReadOnlyList<Item> versionItems, IReadOnlyDictionary<int, Answer> answersByItemId) =>
        IsVisible(item, versionItems, answersByItemId, 0);

    private static bool IsVisible(Item item, IReadOnlyList<Item> versionItems, IReadOnlyDictionary<int, Answer> answers, int depth)
    {
        if (item.ShowIfItemCode is null)
        {
            return true;
        }
        var controller = versionItems.FirstOrDefault(i => i.Code == item.ShowIfItemCode);
        if (controller is null || depth >= MaxDepth)
        {
            // A condition on an item that does not exist cannot be met by anyone; showing the
            // item is the choice that loses no data.
            return controller is null;
        }
        if (!IsVisible(controller, versionItems, answers, depth + 1) || !answers.TryGetValue(controller.Id, out var answer))
        {
            return false;
        }
        var codes = item.ShowIfCodes ?? [];
        if (answer.Codes is { } chosen)
        {
            return chosen.Intersect(codes).Any();
        }
        return answer.NumericValue is { } value && value == decimal.Truncate(value) && codes.Contains((int)value);
    }
}
