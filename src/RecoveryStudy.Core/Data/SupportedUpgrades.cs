namespace RecoveryStudy.Data;

/// <summary>
/// How old a database a release still upgrades in place. A database whose last migration is
/// <see cref="OldestMigration"/> or later is brought to the newest schema by `migrate` (or by
/// `serve` on start) with its data intact; tests/RecoveryStudy.Tests/Operations/UpgradeTests.cs
/// proves it on every test run. The oldest supported schema is the first with the whole platform
/// (protocols, analyst views, scheduling and the mail outbox); development schemas before it are
/// not supported. Raise it only in a release whose notes say so: its test data is written in that
/// schema's own SQL, so it has to be rewritten for the new floor.
/// </summary>
public static class SupportedUpgrades
{
    public const string OldestMigration = "20261123094543_SchedulingOutboxAndReplan";
}
