using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ContactFirstName : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "first_name",
                table: "contact_details",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "first_name",
                table: "contact_details");
        }
    }
}
