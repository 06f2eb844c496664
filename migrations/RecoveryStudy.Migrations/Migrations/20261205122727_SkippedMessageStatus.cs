using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class SkippedMessageStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_message_status",
                table: "messages");

            migrationBuilder.AddCheckConstraint(
                name: "ck_message_status",
                table: "messages",
                sql: "status IN ('queued', 'sending', 'sent', 'failed', 'cancelled', 'skipped')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_message_status",
                table: "messages");

            migrationBuilder.AddCheckConstraint(
                name: "ck_message_status",
                table: "messages",
                sql: "status IN ('queued', 'sending', 'sent', 'failed', 'cancelled')");
        }
    }
}
