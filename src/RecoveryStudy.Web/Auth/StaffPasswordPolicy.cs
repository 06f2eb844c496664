using System.Collections.Frozen;

namespace RecoveryStudy.Web.Auth;

/// <summary>
/// What a new staff password must not be: short, made of a few characters, a repeated part, a
/// run along the alphabet, the digits or the keyboard, or one of the most common passwords
/// (the embedded CommonPasswords.txt), whatever digits or symbols are put around it.
/// </summary>
public static class StaffPasswordPolicy
{
    public const int MinDistinctCharacters = 5;

    // Runs people type; a step along one (either way) is a "sequence" step. Digits wrap (9 to 0).
    private static readonly string[] Runs = ["abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertyuiopasdfghjklzxcvbnm", "!@#$%^&*()"];

    private static readonly char[] NotLetters = "0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".ToCharArray();

    private static readonly FrozenDictionary<char, char> LookAlikes = new Dictionary<char, char>
    {
        ['@'] = 'a', ['4'] = 'a', ['0'] = 'o', ['1'] = 'i', ['!'] = 'i', ['3'] = 'e', ['$'] = 's', ['5'] = 's', ['7'] = 't', ['8'] = 'b',
    }.ToFrozenDictionary();

    private static readonly FrozenSet<string> Common = LoadCommon();

    public static int CommonPasswordCount => Common.Count;

    /// <summary>Why the password is refused, as an English sentence; null when it is acceptable.</summary>
    public static string? Problem(string password, int minLength) => Check(password, minLength) switch
    {
        PasswordProblem.TooShort => $"The new password needs at least {minLength} characters.",
        PasswordProblem.Repeat => "The new password repeats a short part (like abcabc); choose one that does not.",
        PasswordProblem.FewCharacters => $"The new password uses fewer than {MinDistinctCharacters} different characters; choose one with more variety.",
        PasswordProblem.Sequence => "The new password is a sequence (like 123456 or qwerty); choose one that is not.",
        PasswordProblem.Common => "The new password is one of the most common passwords, which attackers try first; choose another.",
        _ => null,
    };

    /// <summary>Why the password is refused (the console words it in the staff member's language); null when it is acceptable.</summary>
    public static PasswordProblem? Check(string password, int minLength)
    {
        if (password.Length < minLength)
        {
            return PasswordProblem.TooShort;
        }
        var lower = password.ToLowerInvariant();
        if (IsRepeat(lower))
        {
            return PasswordProblem.Repeat;
        }
        if (lower.Distinct().Count() < MinDistinctCharacters)
        {
            return PasswordProblem.FewCharacters;
        }
        if (IsSequence(lower))
        {
            return PasswordProblem.Sequence;
        }
        if (Candidates(lower).Any(Common.Contains))
        {
            return PasswordProblem.Common;
        }
        return null;
    }

    private static bool IsRepeat(string password)
    {
        for (var unit = 1; unit <= password.Length / 2; unit++)
        {
            if (password.Length % unit == 0 && password.AsSpan(unit).SequenceEqual(password.AsSpan(0, password.Length - unit)))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsSequence(string password)
    {
        for (var i = 1; i < password.Length; i++)
        {
            var step = new string([password[i - 1], password[i]]);
            var back = new string([password[i], password[i - 1]]);
            if (!Runs.Any(run => run.Contains(step, StringComparison.Ordinal) || run.Contains(back, StringComparison.Ordinal)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The password as typed, without what is put around a word, and with look-alikes undone.</summary>
    private static IEnumerable<string> Candidates(string lower)
    {
        var core = lower.Trim(NotLetters);
        string[] forms = [lower, core, lower.Replace(" ", "", StringComparison.Ordinal)];
        foreach (var form in forms.Where(f => f.Length > 0).Distinct())
        {
            yield return form;
            yield return string.Concat(form.Select(c => LookAlikes.GetValueOrDefault(c, c)));
        }
    }

    private static FrozenSet<string> LoadCommon()
    {
        using var stream = typeof(StaffPasswordPolicy).Assembly.GetManifestResourceStream("RecoveryStudy.Web.Auth.CommonPasswords.txt")
            ?? throw new InvalidOperationException("The embedded list of common passwords is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith('#'))
            .ToFrozenSet(StringComparer.Ordinal);
    }
}

public enum PasswordProblem
{
    TooShort,
    Repeat,
    FewCharacters,
    Sequence,
    Common,
}
