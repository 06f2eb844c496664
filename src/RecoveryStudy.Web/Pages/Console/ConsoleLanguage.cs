using System.Globalization;
using System.Security.Claims;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Auth;
using RecoveryStudy.Web.Hosting;

namespace RecoveryStudy.Web.Pages.Console;

/// <summary>
/// The console's language is the signed-in staff member's own choice (a claim of the sign-in
/// cookie, stored on the account). Only the UI culture changes: labels come from
/// <see cref="ConsoleText"/>, while numbers, dates and form values keep the invariant forms the
/// console's pages, downloads and inputs are written in.
/// </summary>
public static class ConsoleLanguage
{
    public static void UseConsoleLanguage(this WebApplication app) =>
        app.Use((context, next) =>
        {
            if (!ParticipantPagesHosting.IsParticipantPath(context)
                && context.User.FindFirstValue(StaffClaims.Language) is { } language && StaffUser.Languages.Contains(language))
            {
                CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
            }
            return next();
        });

    /// <summary>The language of this request's console labels, also used for protocol texts (titles, labels) the study has in it.</summary>
    public static string Current =>
        StaffUser.Languages.Contains(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName) ? CultureInfo.CurrentUICulture.TwoLetterISOLanguageName : StaffUser.DefaultLanguage;

    /// <summary>Names of the languages in themselves, for the choice on the account page.</summary>
    public static string NameOf(string language) => language switch { "pl" => "Polski", "da" => "Dansk", _ => "English" };
}
