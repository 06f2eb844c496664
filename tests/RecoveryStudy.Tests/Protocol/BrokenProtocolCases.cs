using System.Text.Json.Nodes;
using static RecoveryStudy.Tests.Infrastructure.Builders.MiniProtocol;

namespace RecoveryStudy.Tests.Protocol;

/// <summary>The mini protocol broken in one way each, with the path and reason the validator must give.</summary>
public static class BrokenProtocolCases
{
    public sealed record Case(string Name, string Json, string Path, string Message)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> All => [.. Cases()];

    public static IReadOnlyList<Case> List => [.. Cases()];

    private static Case Broken(string name, Action<JsonObject> change, string path, string message) => new(name, With(change), path, message);

    private static IEnumerable<Case> Cases()
    {
        yield return Broken("months out of range", d => Wave(d, 1)["offset"]!["months"] = 121,
            "$.waves[1].offset.months", "must be a whole number from 0 to 120");
        yield return Broken("months not whole", d => Wave(d, 1)["offset"]!["months"] = 1.5,
            "$.waves[1].offset.months", "must be a whole number from 0 to 120");
        yield return Broken("two offset units", d => Wave(d, 0)["offset"]!["weeks"] = -1,
            "$.waves[0].offset", "must give exactly one of days, weeks or months");
        yield return Broken("unknown instrument in a wave", d => Wave(d, 0)["instruments"]!.AsArray().Add("who6"),
            "$.waves[0].instruments[1]", "unknown instrument 'who6'; declared: mood");
        yield return Broken("unknown anchor in a wave", d => Wave(d, 1)["anchor"] = "course_finish",
            "$.waves[1].anchor", "unknown anchor 'course_finish'; declared anchors: course_start, course_end");
        yield return Broken("duplicate item code", d => Item(d, 1)["code"] = "mood_1",
            "$.instruments[0].items[1].code", "'mood_1' is already used by $.instruments[0].items[0]; item codes are variable names and must be unique in the study");
        yield return Broken("show-if pointing forward", d => Item(d, 3)["show_if"]!["item"] = "comment",
            "$.instruments[0].items[3].show_if.item", "'comment' comes later in the instrument; a condition can only look at an earlier item");
        yield return Broken("show-if on a missing item", d => Item(d, 3)["show_if"]!["item"] = "employed",
            "$.instruments[0].items[3].show_if.item", "unknown item 'employed' in instrument 'mood'");
        yield return Broken("show-if with a code the item does not have", d => Item(d, 3)["show_if"]!["codes"] = new JsonArray(2),
            "$.instruments[0].items[3].show_if.codes[0]", "2 is not a code of item 'works' (1, 0)");
        yield return Broken("option code used twice", d => Item(d, 3)["options"]![1]!["code"] = 1,
            "$.instruments[0].items[3].options[1].code", "1 is already used by options[0] of this item");
        yield return Broken("language used but not declared", d => Wave(d, 0)["title"]!["de"] = "Anfang",
            "$.waves[0].title.de", "language 'de' is not declared in $.study.languages");
        yield return Broken("declared language missing in a text", d => d["instruments"]![0]!["title"]!.AsObject().Remove("da"),
            "$.instruments[0].title", "has no 'da' text; every declared language needs one");
        yield return Broken("overlapping windows on one anchor", d => d["waves"]!.AsArray().Add(Midpoint()),
            "$.waves[2].window", "overlaps the window of wave 'followup' ($.waves[1]) on anchor 'course_end' for role 'trainee'");
        yield return Broken("score over a text item", d => d["instruments"]![0]!["scores"]![0]!["items"]!.AsArray().Add("comment"),
            "$.instruments[0].scores[0].items[2]", "'comment' is a long_text item; a score needs rating, single_choice, yes_no or number items");
        yield return Broken("score mixing item types", d => d["instruments"]![0]!["scores"]![0]!["items"]!.AsArray().Add("works"),
            "$.instruments[0].scores[0].items[2]", "'works' is a yes_no item but the score's first item is a rating item; a score adds items of one type");
        yield return Broken("unknown role in a wave", d => Wave(d, 0)["roles"] = new JsonArray("nurse"),
            "$.waves[0].roles[0]", "unknown role 'nurse'; declared: trainee");
        yield return Broken("retention months out of range", d => d["study"]!["contact_retention_months"] = 241,
            "$.study.contact_retention_months", "must be a whole number from 1 to 240");
        yield return Broken("retention months not whole", d => d["study"]!["contact_retention_months"] = 12.5,
            "$.study.contact_retention_months", "must be a whole number from 1 to 240");
        yield return Broken("retention months as text", d => d["study"]!["contact_retention_months"] = "24",
            "$.study.contact_retention_months", "must be a whole number from 1 to 240");
        yield return Broken("unknown time zone", d => d["study"]!["time_zone"] = "Europe/Krakow",
            "$.study.time_zone", "'Europe/Krakow' is not a known time zone; use an IANA name such as Europe/Warsaw");
        yield return Broken("default language not declared", d => d["study"]!["default_language"] = "pl",
            "$.study.default_language", "'pl' is not one of the study's languages (en, da)");
        yield return Broken("required property missing", d => Wave(d, 0).Remove("window"),
            "$.waves[0].window", "is required");
        yield return Broken("unknown property", d => Item(d, 0)["lable"] = "typo",
            "$.instruments[0].items[0].lable", "unknown property; allowed here: code, type, label, help, required, min, max, options, show_if");
        yield return Broken("wrong type of value", d => Item(d, 0)["required"] = "yes",
            "$.instruments[0].items[0].required", "must be true or false");
        yield return Broken("unknown wave kind", d => Wave(d, 0)["kind"] = "survey",
            "$.waves[0].kind", "must be one of: questionnaire, interview");
        yield return Broken("interview wave with instruments", d => d["waves"]!.AsArray().Add(InterviewWaveWith("instruments", new JsonArray("mood"))),
            "$.waves[2].instruments", "unknown property; allowed here: code, kind, title, anchor, offset, window, roles, intro, estimated_minutes, interviewer_reminder_days_before, requires_flag, booking");
        yield return Broken("interview wave with emails", d => d["waves"]!.AsArray().Add(InterviewWaveWith("emails", Wave(d, 0)["emails"]!.DeepClone())),
            "$.waves[2].emails", "unknown property; allowed here: code, kind, title, anchor, offset, window, roles, intro, estimated_minutes, interviewer_reminder_days_before, requires_flag, booking");
        yield return Broken("interviewer reminder on a questionnaire wave", d => Wave(d, 0)["interviewer_reminder_days_before"] = 3,
            "$.waves[0].interviewer_reminder_days_before", "unknown property; allowed here: code, title, anchor, offset, window, roles, instruments, reminders, emails, kind, intro, estimated_minutes");
        yield return Broken("required flag on a questionnaire wave", d => Wave(d, 0)["requires_flag"] = "selected_for_interview",
            "$.waves[0].requires_flag", "unknown property; allowed here: code, title, anchor, offset, window, roles, instruments, reminders, emails, kind, intro, estimated_minutes");
        yield return Broken("required flag that is not a code", d => d["waves"]!.AsArray().Add(InterviewWaveWith("requires_flag", JsonValue.Create("Selected!"))),
            "$.waves[2].requires_flag", "must start with a lowercase letter and hold only lowercase letters, digits and _");
        yield return Broken("reminder after the window closed", d => Wave(d, 0)["reminders"]!["days"] = new JsonArray(3, 30),
            "$.waves[0].reminders.days[1]", "day 30 is not before the window closes (21 days after the due date)");
        yield return Broken("reminders out of order", d => Wave(d, 0)["reminders"]!["days"] = new JsonArray(7, 3),
            "$.waves[0].reminders.days[1]", "must be later than the reminder before it (day 7)");
        yield return Broken("unknown placeholder", d => Wave(d, 0)["emails"]!["invitation"]!["body"]!["en"] = "Dear {first_name}: {link}",
            "$.waves[0].emails.invitation.body.en", "unknown placeholder {first_name}; known: {salutation} {wave_title} {link} {close_date} {days_left} {days_left_text} {duration} {unsubscribe_link} {study_title}");
        yield return Broken("email body without the link", d => Wave(d, 0)["emails"]!["invitation"]!["body"]!["da"] = "Svar venligst",
            "$.waves[0].emails.invitation.body.da", "must contain {link}, the participant's personal link");
        yield return Broken("last chance without its text", d => Wave(d, 1)["reminders"]!["last_chance_days_before"] = 3,
            "$.waves[1].emails.last_chance", "the wave sends a last-chance reminder, so it needs its text");
        yield return Broken("choice item without options", d => Item(d, 3).Remove("options"),
            "$.instruments[0].items[3].options", "a single_choice item needs options");
        yield return Broken("rating without scale end", d => Item(d, 0).Remove("max"),
            "$.instruments[0].items[0]", "a rating item needs min and max, the ends of its scale");
        yield return Broken("cohort date on an undeclared anchor", d => d["cohorts"]![0]!["anchors"]!["course_begin"] = "2026-03-02",
            "$.cohorts[0].anchors.course_begin", "unknown anchor 'course_begin'; declared anchors: course_start, course_end");
        yield return Broken("cohort date that does not parse", d => d["cohorts"]![0]!["anchors"]!["course_start"] = "2026-02-30",
            "$.cohorts[0].anchors.course_start", "must be a date as YYYY-MM-DD, such as 2026-03-01");
        yield return Broken("bad sender address", d => d["study"]!["sender"]!["email"] = "team.example.org",
            "$.study.sender.email", "must be an email address such as study@example.org");
        yield return Broken("sender address with a comment the mail software drops", d => d["study"]!["sender"]!["email"] = "paren(team)@example.org",
            "$.study.sender.email", "must be an email address such as study@example.org");
        yield return Broken("contact address the mail software cannot read", d => d["study"]!["contact_email"] = "colon:x@example.org",
            "$.study.contact_email", "must be an email address such as study@example.org");
        yield return Broken("instrument asked in no wave", d => d["instruments"]!.AsArray().Add(Extra()),
            "$.instruments[1]", "instrument 'extra' is not asked in any wave");
        yield return Broken("duplicate wave code", d => Wave(d, 1)["code"] = "baseline",
            "$.waves[1].code", "'baseline' is already used by $.waves[0]");
        yield return Broken("send time outside the sending hours", d => d["study"]!["sending"]!["send_time"] = "07:30",
            "$.study.sending.send_time", "must lie within the sending hours 08:00-20:00");
    }

    private static JsonNode Midpoint()
    {
        var wave = JsonNode.Parse(Infrastructure.Builders.MiniProtocol.Json)!["waves"]![1]!.DeepClone().AsObject();
        wave["code"] = "midpoint";
        wave["offset"] = new JsonObject { ["months"] = 5 };
        wave["window"] = new JsonObject { ["opens_days"] = 0, ["closes_days"] = 60 };
        return wave;
    }

    private static JsonObject InterviewWaveWith(string property, JsonNode value)
    {
        var wave = InterviewWave();
        wave[property] = value;
        return wave;
    }

    private static JsonNode Extra()
    {
        var instrument = JsonNode.Parse(Infrastructure.Builders.MiniProtocol.Json)!["instruments"]![0]!.DeepClone().AsObject();
        instrument["code"] = "extra";
        instrument["items"] = new JsonArray(new JsonObject { ["code"] = "extra_1", ["type"] = "short_text", ["label"] = new JsonObject { ["en"] = "Extra", ["da"] = "Ekstra" } });
        instrument.Remove("scores");
        return instrument;
    }
}
