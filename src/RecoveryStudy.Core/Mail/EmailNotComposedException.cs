namespace RecoveryStudy.Mail;

/// <summary>
/// An email that cannot be built: its recipient's address is refused by <see cref="Participants.EmailAddressRules"/>
/// (stored before the rules, or written into the database directly), or composing it failed. It
/// fails that one message with <see cref="Outcome"/> (never quoting the address) and the batch goes on.
/// </summary>
public sealed class EmailNotComposedException(SendOutcome outcome, Exception? inner = null) : Exception(outcome.Reply, inner)
{
    public SendOutcome Outcome { get; } = outcome;
}
