using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class QueuedMessagesInClaimOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_message_queued_next_attempt_at",
                table: "messages");

            migrationBuilder.CreateIndex(
                name: "ix_message_queued_next_attempt_at_id",
                table: "messages",
                columns: new[] { "next_attempt_at", "id" },
                filter: "status = 'queued'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_message_queued_next_attempt_at_id",
                table: "messages");

            migrationBuilder.CreateIndex(
                name: "ix_message_queued_next_attempt_at",
                table: "messages",
                column: "next_attempt_at",
                filter: "status = 'queued'");
        }
    }
}
