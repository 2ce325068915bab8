using System.Text.Json;
using Dealwire.Engine.Model;

namespace Dealwire.ServerApi.Wire;

/// <summary>A CRM customer on the wire (scaletrade-model §4.14), without secrets: the password hash is never written.</summary>
internal static class CustomerWire
{
    public static void Write(Utf8JsonWriter w, CustomerRecord c)
    {
        w.WriteStartObject();
        w.WriteNumber("customer_id"u8, c.CustomerId);
        w.WriteString("external_id"u8, c.ExternalId);
        w.WriteNumber("type"u8, c.Type);
        w.WriteNumber("status"u8, c.Status);
        w.WriteNumber("enable"u8, c.Enable ? 1 : 0);
        w.WriteNumber("enable_otp"u8, c.EnableOtp ? 1 : 0);
        w.WriteString("first_name"u8, c.FirstName);
        w.WriteString("last_name"u8, c.LastName);
        w.WriteString("middle_name"u8, c.MiddleName);
        w.WriteString("full_name"u8, c.FullName);
        w.WriteNumber("birth_date"u8, c.BirthDate);
        w.WriteString("citizenship"u8, c.Citizenship);
        w.WriteString("country_of_residence"u8, c.CountryOfResidence);
        w.WriteString("email"u8, c.Email);
        w.WriteString("phone"u8, c.Phone);
        w.WriteString("preferred_language"u8, c.PreferredLanguage);
        w.WriteString("timezone"u8, c.Timezone);
        w.WriteString("brand"u8, c.Brand);
        w.WriteString("desk"u8, c.Desk);
        w.WriteNumber("desk_id"u8, c.DeskId);
        w.WriteNumber("manager_id"u8, c.ManagerId);
        w.WriteString("lead_source"u8, c.LeadSource);
        w.WriteString("campaign"u8, c.Campaign);
        w.WriteString("affiliate_id"u8, c.AffiliateId);
        w.WriteString("introducer_id"u8, c.IntroducerId);
        w.WriteNumber("assigned_manager_id"u8, c.AssignedManagerId);
        w.WriteString("crm_stage"u8, c.CrmStage);
        w.WriteString("segment"u8, c.Segment);
        w.WriteString("tags_json"u8, c.TagsJson);
        w.WriteNumber("email_verified"u8, c.EmailVerified ? 1 : 0);
        w.WriteNumber("phone_verified"u8, c.PhoneVerified ? 1 : 0);
        w.WriteNumber("marketing_allowed"u8, c.MarketingAllowed ? 1 : 0);
        w.WriteString("tax_id"u8, c.TaxId);
        w.WriteString("national_id"u8, c.NationalId);
        w.WriteNumber("pep_status"u8, c.PepStatus);
        w.WriteNumber("sanctions_status"u8, c.SanctionsStatus);
        w.WriteNumber("risk_level"u8, c.RiskLevel);
        w.WriteNumber("aml_status"u8, c.AmlStatus);
        w.WriteNumber("kyc_status"u8, c.KycStatus);
        w.WriteNumber("sales_status"u8, c.SalesStatus);
        w.WriteNumber("create_time"u8, WireTime.ToSeconds(c.CreateTime));
        w.WriteNumber("update_time"u8, WireTime.ToSeconds(c.UpdateTime));
        w.WriteEndObject();
    }
}
