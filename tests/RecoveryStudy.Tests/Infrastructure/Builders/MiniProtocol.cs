using System.Text.Json.Nodes;

namespace RecoveryStudy.Tests.Infrastructure.Builders;

/// <summary>A small valid protocol that the validator tests break one way at a time.</summary>
public static class MiniProtocol
{
    public const string Json = """
    {
      "format": 1,
      "study": {
        "code": "mini",
        "title": { "en": "Mini study", "da": "Mini-undersøgelse" },
        "time_zone": "Europe/Copenhagen",
        "languages": ["en", "da"],
        "default_language": "en",
        "sender": { "name": "Study team", "email": "team@example.org" },
        "sending": { "send_time": "09:00", "hours_from": "08:00", "hours_to": "20:00", "days": ["mon", "tue", "wed", "thu", "fri"], "max_emails_per_participant_per_day": 1 }
      },
      "roles": [{ "code": "trainee", "title": { "en": "Trainee", "da": "Kursist" } }],
      "anchors": [
        { "code": "course_start", "label": { "en": "Course start", "da": "Kursusstart" } },
        { "code": "course_end", "label": { "en": "Course end", "da": "Kursusslut" } }
      ],
      "cohorts": [{ "code": "ed-1", "name": "Edition 1", "anchors": { "course_start": "2026-03-02", "course_end": "2026-06-26" } }],
      "instruments": [
        {
          "code": "mood",
          "title": { "en": "Mood", "da": "Humør" },
          "items": [
            { "code": "mood_1", "type": "rating", "label": { "en": "Calm", "da": "Rolig" }, "required": true, "min": 1, "max": 5 },
            { "code": "mood_2", "type": "rating", "label": { "en": "Cheerful", "da": "Glad" }, "min": 1, "max": 5 },
            { "code": "works", "type": "yes_no", "label": { "en": "Do you work?", "da": "Arbejder du?" } },
            { "code": "where", "type": "single_choice", "label": { "en": "Where?", "da": "Hvor?" },
              "options": [{ "code": 1, "label": { "en": "Clinic", "da": "Klinik" } }, { "code": 2, "label": { "en": "Other", "da": "Andet" } }],
              "show_if": { "item": "works", "codes": [1] } },
            { "code": "comment", "type": "long_text", "label": { "en": "Comment", "da": "Kommentar" } }
          ],
          "scores": [{ "code": "mood_sum", "label": { "en": "Mood sum", "da": "Humør i alt" }, "method": "sum", "items": ["mood_1", "mood_2"], "min_answered": 2 }]
        }
      ],
      "waves": [
        {
          "code": "baseline",
          "title": { "en": "Baseline", "da": "Start" },
          "anchor": "course_start",
          "offset": { "days": -7 },
          "window": { "opens_days": -7, "closes_days": 21 },
          "roles": ["trainee"],
          "instruments": ["mood"],
          "reminders": { "days": [3, 7], "last_chance_days_before": 2 },
          "emails": {
            "invitation": { "subject": { "en": "{wave_title}", "da": "{wave_title}" }, "body": { "en": "{salutation} Please answer: {link}", "da": "{salutation} Svar venligst: {link}" } },
            "reminders": [{ "subject": { "en": "Reminder", "da": "Påmindelse" }, "body": { "en": "Your link: {link}", "da": "Dit link: {link}" } }],
            "last_chance": { "subject": { "en": "Last chance", "da": "Sidste chance" }, "body": { "en": "Closes {close_date}: {link}", "da": "Lukker {close_date}: {link}" } }
          }
        },
        {
          "code": "followup",
          "title": { "en": "Follow-up", "da": "Opfølgning" },
          "anchor": "course_end",
          "offset": { "months": 6 },
          "window": { "opens_days": -7, "closes_days": 28 },
          "roles": ["trainee"],
          "instruments": ["mood"],
          "reminders": { "days": [7] },
          "emails": {
            "invitation": { "subject": { "en": "{wave_title}", "da": "{wave_title}" }, "body": { "en": "Please answer: {link}", "da": "Svar venligst: {link}" } },
            "reminders": [{ "subject": { "en": "Reminder", "da": "Påmindelse" }, "body": { "en": "Your link: {link}", "da": "Dit link: {link}" } }]
          }
        }
      ]
    }
    """;

    /// <summary>The mini protocol with one change applied, as JSON text.</summary>
    public static string With(Action<JsonObject> change)
    {
        var document = JsonNode.Parse(Json)!.AsObject();
        change(document);
        return document.ToJsonString();
    }

    public static JsonObject Wave(JsonObject document, int index) => document["waves"]![index]!.AsObject();

    /// <summary>An interview wave at 12 months after the course ends (window 14 days before to 28 after), to add as $.waves[2].</summary>
    public static JsonObject InterviewWave() => new()
    {
        ["code"] = "interview",
        ["kind"] = "interview",
        ["title"] = new JsonObject { ["en"] = "Interview", ["da"] = "Interview" },
        ["anchor"] = "course_end",
        ["offset"] = new JsonObject { ["months"] = 12 },
        ["window"] = new JsonObject { ["opens_days"] = -14, ["closes_days"] = 28 },
        ["roles"] = new JsonArray("trainee"),
        ["estimated_minutes"] = 60,
    };

    public static JsonObject Item(JsonObject document, int index) => document["instruments"]![0]!["items"]![index]!.AsObject();
}
