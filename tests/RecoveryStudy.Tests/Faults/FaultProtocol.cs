using System.Text.Json.Nodes;

namespace RecoveryStudy.Tests.Faults;

/// <summary>
/// The fault study as a protocol file, for the scenarios that import a new version while nodes
/// send: sending at any hour and day, one wave on the participants' course end with an open window,
/// its offset and reminder days chosen by the caller.
/// </summary>
public static class FaultProtocol
{
    private const string Template = """
    {
      "format": 1,
      "study": {
        "code": "CODE",
        "title": { "en": "Fault study" },
        "time_zone": "Europe/Warsaw",
        "languages": ["en"],
        "default_language": "en",
        "sender": { "name": "Study team", "email": "team@example.org" },
        "sending": { "send_time": "09:00", "hours_from": "00:00", "hours_to": "23:59", "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "max_emails_per_participant_per_day": 1 }
      },
      "roles": [{ "code": "trainee", "title": { "en": "Trainee" } }],
      "anchors": [{ "code": "course_end", "label": { "en": "Course end" } }],
      "instruments": [
        {
          "code": "mood",
          "title": { "en": "Mood" },
          "items": [{ "code": "mood_1", "type": "rating", "label": { "en": "Calm" }, "min": 1, "max": 5 }]
        }
      ],
      "waves": [
        {
          "code": "post",
          "title": { "en": "Follow-up" },
          "anchor": "course_end",
          "offset": { "days": 0 },
          "window": { "opens_days": 0, "closes_days": 14 },
          "roles": ["trainee"],
          "instruments": ["mood"],
          "reminders": { "days": [] },
          "emails": {
            "invitation": { "subject": { "en": "{wave_title}: your questionnaire" }, "body": { "en": "{salutation} Please answer: {link}" } },
            "reminders": []
          }
        }
      ]
    }
    """;

    /// <summary>The protocol with the wave due <paramref name="offsetDays"/> after the course end and a reminder on each of <paramref name="reminderDays"/>.</summary>
    public static string Json(string code, int offsetDays, int[] reminderDays)
    {
        var document = JsonNode.Parse(Template)!.AsObject();
        document["study"]!["code"] = code;
        var wave = document["waves"]![0]!.AsObject();
        wave["offset"] = new JsonObject { ["days"] = offsetDays };
        wave["reminders"] = new JsonObject { ["days"] = new JsonArray([.. reminderDays.Select(d => JsonValue.Create(d))]) };
        wave["emails"]!["reminders"] = new JsonArray([.. reminderDays.Select((_, k) => new JsonObject
        {
            ["subject"] = new JsonObject { ["en"] = $"Reminder {k + 1}: {{wave_title}}" },
            ["body"] = new JsonObject { ["en"] = "{salutation} Your link: {link}" },
        })]);
        return document.ToJsonString();
    }
}
