using System.Text.Json;
using NodaTime;
using RecoveryStudy.Studies;

namespace RecoveryStudy.Protocol;

/// <summary>The structural pass over the document root, the study settings, roles, anchors and cohorts.</summary>
internal static class StudyStructure
{
    public static readonly string[] DayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    public static void Check(JsonElement root, JsonChecks c)
    {
        if (!c.Object(root, "$", ["format", "study", "roles", "anchors", "instruments", "waves"], ["cohorts", "consent"]))
        {
            return;
        }
        c.Property(root, "format", "$", (e, p) =>
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out var format) || format != 1)
            {
                c.Add(p, "must be 1, the only format version so far");
            }
        });
        ReadLanguages(root, c);
        c.Property(root, "study", "$", (e, p) => Study(e, p, c));
        c.Property(root, "roles", "$", (e, p) => c.Array(e, p, 1, (role, rp) =>
        {
            if (c.Object(role, rp, ["code", "title"], []))
            {
                c.Property(role, "code", rp, c.Code);
                c.Property(role, "title", rp, (t, tp) => c.Text(t, tp, 200));
            }
        }));
        c.Property(root, "anchors", "$", (e, p) => c.Array(e, p, 1, (anchor, ap) =>
        {
            if (c.Object(anchor, ap, ["code", "label"], ["scope"]))
            {
                c.Property(anchor, "code", ap, c.Code);
                c.Property(anchor, "label", ap, (t, tp) => c.Text(t, tp, 200));
                c.Property(anchor, "scope", ap, (s, sp) => c.OneOf(s, sp, AnchorScope.All));
            }
        }));
        c.Property(root, "cohorts", "$", (e, p) => c.Array(e, p, 0, (cohort, cp) =>
        {
            if (c.Object(cohort, cp, ["code", "name"], ["anchors"]))
            {
                c.Property(cohort, "code", cp, c.Slug);
                c.Property(cohort, "name", cp, (n, np) => c.String(n, np, 200));
                c.Property(cohort, "anchors", cp, (a, ap) =>
                {
                    if (a.ValueKind != JsonValueKind.Object)
                    {
                        c.Add(ap, "must be an object of anchor dates, such as {\"course_start\": \"2026-03-01\"}");
                        return;
                    }
                    foreach (var date in a.EnumerateObject())
                    {
                        c.Date(date.Value, JsonChecks.Child(ap, date.Name));
                    }
                });
            }
        }));
    }

    /// <summary>Reads the declared languages first: every text in the document is checked against them.</summary>
    private static void ReadLanguages(JsonElement root, JsonChecks c)
    {
        if (root.TryGetProperty("study", out var study) && study.ValueKind == JsonValueKind.Object
            && study.TryGetProperty("languages", out var languages) && languages.ValueKind == JsonValueKind.Array
            && languages.EnumerateArray().All(l => l.ValueKind == JsonValueKind.String && LanguageCode(l.GetString()!)))
        {
            c.Languages = [.. languages.EnumerateArray().Select(l => l.GetString()!)];
        }
    }

    private static bool LanguageCode(string value) => value.Length is 2 or 3 && value.All(char.IsAsciiLetterLower);

    private static void Study(JsonElement e, string path, JsonChecks c)
    {
        if (!c.Object(e, path, ["code", "title", "time_zone", "languages", "default_language", "sender"], ["contact_email", "sending", "response_rate_target", "contact_retention_months"]))
        {
            return;
        }
        c.Property(e, "code", path, c.Slug);
        c.Property(e, "title", path, (t, tp) => c.Text(t, tp, 300));
        c.Property(e, "time_zone", path, (t, tp) =>
        {
            if (c.String(t, tp, 64) && DateTimeZoneProviders.Tzdb.GetZoneOrNull(t.GetString()!) is null)
            {
                c.Add(tp, $"'{t.GetString()}' is not a known time zone; use an IANA name such as Europe/Warsaw");
            }
        });
        c.Property(e, "languages", path, (l, lp) =>
        {
            var seen = new HashSet<string>();
            c.Array(l, lp, 1, (language, p) =>
            {
                if (c.String(language, p, 3) && !LanguageCode(language.GetString()!))
                {
                    c.Add(p, "must be a two- or three-letter lowercase language code such as en, pl, da");
                }
                else if (language.ValueKind == JsonValueKind.String && !seen.Add(language.GetString()!))
                {
                    c.Add(p, $"'{language.GetString()}' is listed twice");
                }
            });
        });
        c.Property(e, "default_language", path, (d, dp) =>
        {
            if (c.String(d, dp, 3) && c.Languages is not null && !c.Languages.Contains(d.GetString()!))
            {
                c.Add(dp, $"'{d.GetString()}' is not one of the study's languages ({string.Join(", ", c.Languages)})");
            }
        });
        c.Property(e, "sender", path, (s, sp) =>
        {
            if (c.Object(s, sp, ["name", "email"], []))
            {
                c.Property(s, "name", sp, (n, np) => c.String(n, np, 200));
                c.Property(s, "email", sp, c.Email);
            }
        });
        c.Property(e, "contact_email", path, c.Email);
        c.Property(e, "response_rate_target", path, (r, rp) => c.Number(r, rp, 0m, 1m));
        c.Property(e, "contact_retention_months", path, (r, rp) => c.Integer(r, rp, 1, DataRights.ContactRetention.MaxMonths));
        c.Property(e, "sending", path, (s, sp) => Sending(s, sp, c));
    }

    private static void Sending(JsonElement e, string path, JsonChecks c)
    {
        if (!c.Object(e, path, [], ["send_time", "hours_from", "hours_to", "days", "max_emails_per_participant_per_day"]))
        {
            return;
        }
        c.Property(e, "send_time", path, c.Time);
        c.Property(e, "hours_from", path, c.Time);
        c.Property(e, "hours_to", path, c.Time);
        c.Property(e, "max_emails_per_participant_per_day", path, (m, mp) => c.Integer(m, mp, 1, 10));
        c.Property(e, "days", path, (d, dp) => c.Array(d, dp, 1, (day, p) => c.OneOf(day, p, DayNames)));
    }
}
