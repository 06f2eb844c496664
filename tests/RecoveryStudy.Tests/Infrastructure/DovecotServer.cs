using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;
using RecoveryStudy.Bounces;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>
/// A real IMAP server for the bounce tests: Debian's Dovecot (dovecot-imapd, installed by
/// ops/lib/deps.sh), started with a config file of its own as a non-root user (the current user, or
/// Dovecot's own "dovecot" system user when the tests run as root), on 127.0.0.1 and a free port,
/// without TLS, one static user, and a Maildir in a folder that user owns.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DovecotServer : IAsyncLifetime
{
    private const string Binary = "/usr/sbin/dovecot";

    private readonly string folder = Directory.CreateTempSubdirectory("rs-imap-").FullName;
    private readonly string? introspectionUrl;
    private Process? process;

    public DovecotServer()
    {
    }

    /// <summary>
    /// Also offers AUTH=XOAUTH2 through Dovecot's oauth2 passdb, which asks this RFC 7662 endpoint
    /// whether a token is active and whose user it is; PLAIN stays for the test's own connections.
    /// </summary>
    internal DovecotServer(string introspectionUrl) => this.introspectionUrl = introspectionUrl;

    public ImapSettings Settings { get; } = new()
    {
        Host = "127.0.0.1",
        Security = "None",
        User = "bounces",
        Password = Guid.NewGuid().ToString("N"),
        Timeout = TimeSpan.FromSeconds(20),
    };

    private static bool IsRoot => Environment.UserName == "root";

    public async Task InitializeAsync()
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: install dovecot-imapd (ops/lib/deps.sh does for ops/test)");
        }
        Settings.Port = FreePort();
        var user = IsRoot ? "dovecot" : Environment.UserName;
        foreach (var sub in new[] { "run", "state", "Maildir", "home" })
        {
            Directory.CreateDirectory(Path.Combine(folder, sub));
        }
        var config = Path.Combine(folder, "dovecot.conf");
        await File.WriteAllTextAsync(config, Config(user));
        if (introspectionUrl is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "oauth2.conf.ext"), $"""
                introspection_mode = post
                introspection_url = {introspectionUrl}
                force_introspection = yes
                username_attribute = username
                active_attribute = active
                active_value = true
                """);
        }
        // mktemp-style folders are 0700: the server's user must reach and own its own.
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        if (IsRoot)
        {
            var (code, output) = await ExternalTool.RunAsync("chown", folder, "-R", user + ":" + user, folder);
            Assert.True(code == 0, output);
        }
        var start = new ProcessStartInfo(IsRoot ? "runuser" : Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (IsRoot)
        {
            foreach (var argument in new[] { "-u", user, "--", Binary })
            {
                start.ArgumentList.Add(argument);
            }
        }
        start.ArgumentList.Add("-F");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(config);
        process = Process.Start(start) ?? throw new InvalidOperationException("dovecot did not start");
        await Poll.UntilAsync(() => Listening() || process.HasExited, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));
        if (process.HasExited)
        {
            throw new InvalidOperationException("dovecot stopped at start: " + await process.StandardError.ReadToEndAsync() + Log());
        }
    }

    private string Config(string user) => string.Format(CultureInfo.InvariantCulture,
        """
        base_dir = {0}/run
        state_dir = {0}/state
        log_path = {0}/dovecot.log
        default_internal_user = {1}
        default_internal_group = {1}
        default_login_user = {1}
        first_valid_uid = 1
        first_valid_gid = 1
        listen = 127.0.0.1
        protocols = imap
        ssl = no
        disable_plaintext_auth = no
        auth_mechanisms = plain{4}
        mail_location = maildir:{0}/Maildir
        passdb {{
          driver = static
          args = password={2}
          mechanisms = plain
        }}{5}
        userdb {{
          driver = static
          args = uid={1} gid={1} home={0}/home
        }}
        service imap-login {{
          chroot =
          inet_listener imap {{
            address = 127.0.0.1
            port = {3}
          }}
          inet_listener imaps {{
            port = 0
          }}
        }}
        service anvil {{
          chroot =
        }}
        """, folder, user, Settings.Password, Settings.Port, introspectionUrl is null ? "" : " xoauth2",
        introspectionUrl is null ? "" : $$"""

        passdb {
          driver = oauth2
          mechanisms = xoauth2
          args = {{folder}}/oauth2.conf.ext
        }
        """);

    /// <summary>Puts a message into a folder (APPEND), as a relay's delivery would.</summary>
    public async Task AppendAsync(MimeMessage message, string folderName = "INBOX")
    {
        using var client = await ConnectAsync();
        var target = folderName == "INBOX" ? client.Inbox : await client.GetFolderAsync(folderName);
        await target.AppendAsync(message);
        await client.DisconnectAsync(true);
    }

    /// <summary>How many messages a folder holds; 0 when it does not exist.</summary>
    public async Task<int> CountAsync(string folderName)
    {
        using var client = await ConnectAsync();
        try
        {
            var target = folderName == "INBOX" ? client.Inbox : await client.GetFolderAsync(folderName);
            await target.OpenAsync(FolderAccess.ReadOnly);
            return target.Count;
        }
        catch (FolderNotFoundException)
        {
            return 0;
        }
        finally
        {
            await client.DisconnectAsync(true);
        }
    }

    /// <summary>Empties every folder, so that each test starts with an empty mailbox.</summary>
    public async Task ClearAsync()
    {
        using var client = await ConnectAsync();
        foreach (var each in await client.GetFoldersAsync(client.PersonalNamespaces[0]))
        {
            await each.OpenAsync(FolderAccess.ReadWrite);
            if (each.Count > 0)
            {
                await each.AddFlagsAsync(await each.SearchAsync(MailKit.Search.SearchQuery.All), MessageFlags.Deleted, true);
                await each.ExpungeAsync();
            }
        }
        await client.DisconnectAsync(true);
    }

    private async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient { Timeout = 20_000 };
        await client.ConnectAsync(Settings.Host, Settings.Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(Settings.User, Settings.Password);
        return client;
    }

    public string Log()
    {
        var path = Path.Combine(folder, "dovecot.log");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    public async Task DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process?.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private bool Listening()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Settings.Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
