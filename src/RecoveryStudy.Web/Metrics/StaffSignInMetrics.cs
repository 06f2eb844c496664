using System.Diagnostics.Metrics;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Metrics;

/// <summary>Refused staff sign-ins by reason (never the address typed), for /metrics.</summary>
public static class StaffSignInMetrics
{
    public const string MeterName = "RecoveryStudy.Staff";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> FailuresCounter = Meter.CreateCounter<long>("recoverystudy.staff.signin_failures", "{attempt}",
        "Refused staff sign-ins: unknown account, wrong password, wrong second-factor code, locked or disabled");

    public static void Failed(SignInRefusal reason) =>
        FailuresCounter.Add(1, new KeyValuePair<string, object?>("reason", reason switch
        {
            SignInRefusal.UnknownAccount => "unknown_account",
            SignInRefusal.WrongPassword => "wrong_password",
            SignInRefusal.Locked => "locked",
            SignInRefusal.Disabled => "disabled",
            SignInRefusal.WrongCode => "wrong_code",
            _ => "other",
        }));
}
