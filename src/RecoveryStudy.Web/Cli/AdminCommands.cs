using System.CommandLine;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Web.Cli;

/// <summary>`admin create --email E`: the first admin account; the generated password is printed once.</summary>
internal static class AdminCommands
{
    public static Command Create()
    {
        var admin = new Command("admin", "Manage staff accounts from the command line.");
        var email = new Option<string>("--email") { Description = "Email address the admin signs in with.", Required = true };
        var role = new Option<string>("--role") { Description = "admin, researcher or analyst.", DefaultValueFactory = _ => StaffRole.Admin };
        var create = new Command("create", "Create a staff account (an admin by default) and print its generated password once.") { email, role };
        create.SetAction((parse, cancellationToken) => CliHost.RunMigratedAsync(async (services, ct) =>
        {
            if (EmailAddressRules.Check(parse.GetValue(email)!, out var address) is { } problem)
            {
                await Console.Error.WriteLineAsync($"--email: the email {problem}.");
                return 2;
            }
            var chosenRole = parse.GetValue(role)!;
            if (!StaffRole.All.Contains(chosenRole))
            {
                await Console.Error.WriteLineAsync($"--role: must be one of {string.Join(", ", StaffRole.All)}");
                return 2;
            }
            var db = services.GetRequiredService<StudyDbContext>();
            var (user, password) = await StaffAccounts.CreateAsync(db, address, chosenRole, services.GetRequiredService<TimeProvider>(), ct);
            if (user is null)
            {
                await Console.Error.WriteLineAsync($"--email: an account for {address} already exists.");
                return 1;
            }
            Console.WriteLine($"Created {chosenRole} {address}.");
            Console.WriteLine($"Password (shown once, change it after signing in): {password}");
            return 0;
        }, cancellationToken));
        admin.Subcommands.Add(create);
        return admin;
    }
}

/// <summary>Creating staff accounts, shared by the CLI and the console.</summary>
public static class StaffAccounts
{
    public static string GeneratePassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_');

    public static async Task<(StaffUser? User, string Password)> CreateAsync(StudyDbContext db, string email, string role, TimeProvider clock, CancellationToken ct)
    {
        if (await db.StaffUsers.AnyAsync(u => u.Email == email, ct))
        {
            return (null, "");
        }
        var password = GeneratePassword();
        var now = clock.GetUtcNow().UtcDateTime;
        var user = new StaffUser { Email = email, Role = role, PasswordHash = "", CreatedAt = now };
        user.PasswordHash = new PasswordHasher<StaffUser>().HashPassword(user, password);
        db.StaffUsers.Add(user);
        await db.SaveChangesAsync(ct);
        AuditLog.Add(db, clock, Actor.Cli, "staff.create", targetType: "staff_user", targetId: user.Id, details: new { role });
        await db.SaveChangesAsync(ct);
        return (user, password);
    }
}
