using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RecoveryStudy.Protocol;

/// <summary>
/// The primitive checks of the structural pass over a protocol's JSON tree. Each check adds a
/// problem with the path and a plain reason, and never stops the walk, so that one run lists
/// everything that is wrong.
/// </summary>
internal sealed partial class JsonChecks(List<ProtocolProblem> problems)
{
    /// <summary>Declared languages, once $.study.languages has been read; null while unknown.</summary>
    public IReadOnlyList<string>? Languages { get; set; }

    public void Add(string path, string message) => problems.Add(new ProtocolProblem(path, message));

    public bool Object(JsonElement e, string path, string[] required, string[] optional)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            Add(path, "must be an object");
            return false;
        }
        foreach (var property in e.EnumerateObject())
        {
            if (!required.Contains(property.Name) && !optional.Contains(property.Name) && property.Name != "$schema")
            {
                Add(Child(path, property.Name), $"unknown property; allowed here: {string.Join(", ", required.Concat(optional))}");
            }
        }
        foreach (var name in required)
        {
            if (!e.TryGetProperty(name, out _))
            {
                Add(Child(path, name), "is required");
            }
        }
        return true;
    }

    /// <summary>Runs a check on a property when it is present (a missing required one was reported by <see cref="Object"/>).</summary>
    public void Property(JsonElement e, string name, string path, Action<JsonElement, string> check)
    {
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var value))
        {
            check(value, Child(path, name));
        }
    }

    public bool Array(JsonElement e, string path, int minItems, Action<JsonElement, string> each)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            Add(path, "must be a list");
            return false;
        }
        if (e.GetArrayLength() < minItems)
        {
            Add(path, minItems == 1 ? "must not be empty" : $"must hold at least {minItems} entries");
        }
        var index = 0;
        foreach (var item in e.EnumerateArray())
        {
            each(item, $"{path}[{index++}]");
        }
        return true;
    }

    public bool String(JsonElement e, string path, int maxLength = 10000)
    {
        if (e.ValueKind != JsonValueKind.String)
        {
            Add(path, "must be a text in quotes");
            return false;
        }
        var value = e.GetString()!;
        if (value.Trim().Length == 0)
        {
            Add(path, "must not be empty");
            return false;
        }
        if (value.Length > maxLength)
        {
            Add(path, $"must be at most {maxLength} characters long");
            return false;
        }
        return true;
    }

    /// <summary>A variable-like code: lowercase letters, digits and underscores, starting with a letter.</summary>
    public void Code(JsonElement e, string path)
    {
        if (String(e, path, 64) && !CodePattern().IsMatch(e.GetString()!))
        {
            Add(path, "must start with a lowercase letter and hold only lowercase letters, digits and _");
        }
    }

    /// <summary>A name code that may also hold hyphens, such as a study or cohort code ("ra-course").</summary>
    public void Slug(JsonElement e, string path)
    {
        if (String(e, path, 64) && !SlugPattern().IsMatch(e.GetString()!))
        {
            Add(path, "must hold only lowercase letters, digits, - and _, starting with a letter or digit");
        }
    }

    public void Email(JsonElement e, string path)
    {
        // The sender and reply address are sent as written: the participants' rules, without the trimming.
        if (String(e, path, 320) && (e.GetString()! != e.GetString()!.Trim() || Participants.EmailAddressRules.Problem(e.GetString()!) is not null))
        {
            Add(path, "must be an email address such as study@example.org");
        }
    }

    public void Boolean(JsonElement e, string path)
    {
        if (e.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Add(path, "must be true or false");
        }
    }

    public void Integer(JsonElement e, string path, int min, int max)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDecimal(out var value) || value != decimal.Truncate(value) || value < min || value > max)
        {
            Add(path, $"must be a whole number from {min} to {max}");
        }
    }

    public void Number(JsonElement e, string path, decimal min, decimal max)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDecimal(out var value) || value < min || value > max)
        {
            Add(path, string.Create(CultureInfo.InvariantCulture, $"must be a number from {min} to {max}"));
        }
    }

    public void OneOf(JsonElement e, string path, IReadOnlyCollection<string> allowed)
    {
        if (String(e, path, 64) && !allowed.Contains(e.GetString()!))
        {
            Add(path, $"must be one of {string.Join(", ", allowed)}");
        }
    }

    public void Time(JsonElement e, string path)
    {
        if (String(e, path, 5) && !TimeOnly.TryParseExact(e.GetString(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            Add(path, "must be a time of day as HH:mm, such as 09:00");
        }
    }

    public void Date(JsonElement e, string path)
    {
        if (String(e, path, 10) && !DateOnly.TryParseExact(e.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            Add(path, "must be a date as YYYY-MM-DD, such as 2026-03-01");
        }
    }

    /// <summary>A text per language: every declared language and no other.</summary>
    public void Text(JsonElement e, string path, int maxLength = 10000)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            Add(path, "must be an object of texts per language, such as {\"en\": \"...\"}");
            return;
        }
        foreach (var entry in e.EnumerateObject())
        {
            var entryPath = Child(path, entry.Name);
            if (Languages is not null && !Languages.Contains(entry.Name))
            {
                Add(entryPath, $"language '{entry.Name}' is not declared in $.study.languages");
            }
            else
            {
                String(entry.Value, entryPath, maxLength);
            }
        }
        foreach (var language in Languages ?? [])
        {
            if (!e.TryGetProperty(language, out _))
            {
                Add(path, $"has no '{language}' text; every declared language needs one");
            }
        }
    }

    public static string Child(string path, string name) => $"{path}.{name}";

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex SlugPattern();
}
