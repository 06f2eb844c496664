namespace RecoveryStudy.DataRights;

/// <summary>
/// The words of a participant's data copy in their language (English, Polish, Danish; English
/// for any other): the confirmation email, the email carrying the copy, and the headings and
/// labels of the copy's HTML. Stored codes (statuses, clause codes) stay as they are.
/// </summary>
public sealed record DataCopyWords
{
    public required string Language { get; init; }

    public required Func<string, string> ConfirmSubject { get; init; }

    /// <summary>The confirmation email's text, given the link and its lifetime in hours.</summary>
    public required Func<string, int, string> ConfirmBody { get; init; }

    public required Func<string, string> CopySubject { get; init; }
    public required string CopyBody { get; init; }

    /// <summary>The copy's title and first heading, given the study code.</summary>
    public required Func<string, string> Title { get; init; }

    /// <summary>"Made on ... (UTC).", given the time.</summary>
    public required Func<string, string> MadeOn { get; init; }

    public required string Enrolment { get; init; }
    public required string Participation { get; init; }
    public required string WavesAndAnswers { get; init; }
    public required string Consent { get; init; }
    public required string Emails { get; init; }
    public required string ParticipantCode { get; init; }
    public required string Cohort { get; init; }
    public required string Role { get; init; }
    public required string LanguageLabel { get; init; }
    public required string TimeZone { get; init; }
    public required string EnrolledOn { get; init; }
    public required string Email { get; init; }
    public required string Name { get; init; }
    public required string FirstName { get; init; }
    public required string Date { get; init; }
    public required string Status { get; init; }
    public required string WithdrawnAt { get; init; }
    public required string WithdrawalReason { get; init; }
    public required string NoEmailSince { get; init; }
    public required string UndeliverableSince { get; init; }
    public required string Wave { get; init; }

    /// <summary>"Status ..., due ..., invited ..., completed ...", given those four values.</summary>
    public required Func<string, string, string, string, string> WaveLine { get; init; }

    public required string Version { get; init; }
    public required string Question { get; init; }
    public required string YourAnswer { get; init; }
    public required string ConsentText { get; init; }
    public required string Clauses { get; init; }
    public required string When { get; init; }
    public required string Sent { get; init; }
    public required string Reminder { get; init; }
    public required string Yes { get; init; }
    public required string No { get; init; }

    public static DataCopyWords For(string? language) => language?.ToLowerInvariant() switch
    {
        "pl" => Polish,
        "da" => Danish,
        _ => English,
    };

    public static readonly DataCopyWords English = new()
    {
        Language = "en",
        ConfirmSubject = study => $"Your data in study {study}: please confirm your request",
        ConfirmBody = (link, hours) => "You asked for a copy of the data this study holds about you.\n\n"
            + $"To receive it by email at this address, open this link within {hours} hours and confirm:\n{link}\n\n"
            + "The link works once. If you did not ask for this, ignore this email: nothing is sent without the confirmation.\n",
        CopySubject = study => $"Your data in study {study}",
        CopyBody = "Attached is a copy of the data this study holds about you, as a web page: open it in any browser.\n\n"
            + "It holds your contact details and your answers; keep it somewhere safe.\n",
        Title = study => $"Your data in study {study}",
        MadeOn = time => $"Made on {time} (UTC).",
        Enrolment = "Enrolment and contact details", Participation = "Participation", WavesAndAnswers = "Waves and answers",
        Consent = "Consent", Emails = "Emails", ParticipantCode = "Participant code", Cohort = "Cohort", Role = "Role",
        LanguageLabel = "Language", TimeZone = "Time zone", EnrolledOn = "Enrolled on", Email = "Email", Name = "Name",
        FirstName = "First name", Date = "Date", Status = "Status", WithdrawnAt = "Withdrawn at", WithdrawalReason = "Reason for withdrawal",
        NoEmailSince = "No email wanted since", UndeliverableSince = "Address undeliverable since", Wave = "Wave",
        WaveLine = (status, due, invited, completed) => $"Status {status}, due {due}, invited {invited}, completed {completed}.",
        Version = "version", Question = "Question", YourAnswer = "Your answer", ConsentText = "Consent text", Clauses = "Clauses",
        When = "When (UTC)", Sent = "Sent (UTC)", Reminder = "reminder", Yes = "yes", No = "no",
    };

    public static readonly DataCopyWords Polish = new()
    {
        Language = "pl",
        ConfirmSubject = study => $"Twoje dane w badaniu {study}: prosimy o potwierdzenie prośby",
        ConfirmBody = (link, hours) => "Otrzymaliśmy prośbę o kopię danych, które to badanie przechowuje na Twój temat.\n\n"
            + $"Aby otrzymać ją e-mailem na ten adres, otwórz ten link w ciągu {hours} godzin i potwierdź:\n{link}\n\n"
            + "Link działa jeden raz. Jeśli to nie Ty prosisz o kopię, zignoruj tę wiadomość: bez potwierdzenia nic nie zostanie wysłane.\n",
        CopySubject = study => $"Twoje dane w badaniu {study}",
        CopyBody = "W załączniku jest kopia danych, które to badanie przechowuje na Twój temat, w postaci strony internetowej: otwórz ją w dowolnej przeglądarce.\n\n"
            + "Zawiera Twoje dane kontaktowe i odpowiedzi; przechowuj ją w bezpiecznym miejscu.\n",
        Title = study => $"Twoje dane w badaniu {study}",
        MadeOn = time => $"Sporządzono {time} (UTC).",
        Enrolment = "Rejestracja i dane kontaktowe", Participation = "Udział w badaniu", WavesAndAnswers = "Etapy i odpowiedzi",
        Consent = "Zgoda", Emails = "Wiadomości e-mail", ParticipantCode = "Kod uczestnika", Cohort = "Grupa", Role = "Rola",
        LanguageLabel = "Język", TimeZone = "Strefa czasowa", EnrolledOn = "Data rejestracji", Email = "E-mail", Name = "Imię i nazwisko",
        FirstName = "Imię", Date = "Data", Status = "Status", WithdrawnAt = "Wycofanie z badania", WithdrawalReason = "Powód wycofania",
        NoEmailSince = "Rezygnacja z wiadomości e-mail od", UndeliverableSince = "Adres niedostępny od", Wave = "Etap",
        WaveLine = (status, due, invited, completed) => $"Status {status}, termin {due}, zaproszenie {invited}, ukończono {completed}.",
        Version = "wersja", Question = "Pytanie", YourAnswer = "Twoja odpowiedź", ConsentText = "Tekst zgody", Clauses = "Punkty zgody",
        When = "Kiedy (UTC)", Sent = "Wysłano (UTC)", Reminder = "przypomnienie", Yes = "tak", No = "nie",
    };

    public static readonly DataCopyWords Danish = new()
    {
        Language = "da",
        ConfirmSubject = study => $"Dine data i undersøgelsen {study}: bekræft venligst din anmodning",
        ConfirmBody = (link, hours) => "Du har bedt om en kopi af de data, som undersøgelsen har om dig.\n\n"
            + $"For at få den med e-mail på denne adresse skal du åbne dette link inden for {hours} timer og bekræfte:\n{link}\n\n"
            + "Linket virker én gang. Hvis du ikke har bedt om dette, kan du se bort fra denne e-mail: intet sendes uden bekræftelsen.\n",
        CopySubject = study => $"Dine data i undersøgelsen {study}",
        CopyBody = "Vedhæftet er en kopi af de data, som undersøgelsen har om dig, som en webside: åbn den i en hvilken som helst browser.\n\n"
            + "Den indeholder dine kontaktoplysninger og dine svar; opbevar den et sikkert sted.\n",
        Title = study => $"Dine data i undersøgelsen {study}",
        MadeOn = time => $"Lavet {time} (UTC).",
        Enrolment = "Tilmelding og kontaktoplysninger", Participation = "Deltagelse", WavesAndAnswers = "Runder og svar",
        Consent = "Samtykke", Emails = "E-mails", ParticipantCode = "Deltagerkode", Cohort = "Kohorte", Role = "Rolle",
        LanguageLabel = "Sprog", TimeZone = "Tidszone", EnrolledOn = "Tilmeldt den", Email = "E-mail", Name = "Navn",
        FirstName = "Fornavn", Date = "Dato", Status = "Status", WithdrawnAt = "Trukket tilbage", WithdrawalReason = "Årsag til tilbagetrækning",
        NoEmailSince = "Ingen e-mails ønsket siden", UndeliverableSince = "Adressen kan ikke modtage e-mail siden", Wave = "Runde",
        WaveLine = (status, due, invited, completed) => $"Status {status}, frist {due}, inviteret {invited}, gennemført {completed}.",
        Version = "version", Question = "Spørgsmål", YourAnswer = "Dit svar", ConsentText = "Samtykketekst", Clauses = "Punkter",
        When = "Hvornår (UTC)", Sent = "Sendt (UTC)", Reminder = "påmindelse", Yes = "ja", No = "nej",
    };
}
