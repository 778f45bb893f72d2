import type { Preset } from '../presets.js';
import { fallback, keepExtras, presetColumn as col } from './preset-column.js';

/**
 * HubSpot CRM › Contacts › Export, either the current view (default view: 12
 * columns) or all properties (~180). Labels follow the user's UI language: the
 * English, German, French, Spanish and Swedish labels of the core properties are
 * aliases here (the non-English ones are taken from HubSpot's UI translations and
 * not verified against captured files). Custom properties become attributes.
 */
export const HUBSPOT_CONTACTS: Preset = {
  name: 'hubspot-contacts',
  label: 'HubSpot contacts export',
  kind: 'customers',
  source: 'hubspot',
  required: ['Record ID'],
  columns: [
    col(['Record ID', 'Record-ID', 'Datensatz-ID', "ID de fiche d'informations", 'ID de registro', 'Post-ID', 'Contact ID'], 'external_id'),
    col(['First Name', 'Vorname', 'Prénom', 'Nombre', 'Förnamn'], 'first_name'),
    col(['Last Name', 'Nachname', 'Nom', 'Apellidos', 'Efternamn'], 'last_name'),
    col(['Email', 'E-Mail', 'E-mail', 'Correo', 'Correo electrónico', 'E-post'], 'email'),
    col(['Phone Number', 'Telefonnummer', 'Numéro de téléphone', 'Número de teléfono'], 'phone', keepExtras(1)),
    col(['Mobile Phone Number', 'Mobiltelefonnummer', 'Numéro de téléphone portable', 'Número de teléfono móvil'], 'phone', keepExtras(2)),
    col(['Company Name', 'Firmenname', 'Unternehmensname', "Nom de l'entreprise", 'Nombre de la empresa', 'Företagsnamn'], 'company', fallback(1)),
    col(['Associated Company', 'Zugeordnetes Unternehmen', 'Entreprise associée', 'Empresa asociada', 'Associerat företag'], 'company', fallback(2)),
    col(['Job Title', 'Jobbezeichnung', 'Intitulé du poste', 'Cargo', 'Jobbtitel'], 'job_title'),
    col(['Street Address', 'Adresse', 'Dirección', 'Gatuadress'], 'address_line1'),
    col(['City', 'Stadt', 'Ort', 'Ville', 'Ciudad', 'Stad'], 'city'),
    col(['State/Region', 'Bundesland/Region', 'État/Région', 'Estado/Región', 'Delstat/region'], 'region'),
    col(['Postal Code', 'Postleitzahl', 'Code postal', 'Código postal', 'Postnummer'], 'postal_code'),
    col(['Country/Region', 'Land/Region', 'Pays/région', 'País/región', 'Land/region', 'Country'], 'country'),
    col(['Date of birth', 'Geburtsdatum', 'Date de naissance', 'Fecha de nacimiento', 'Födelsedatum'], 'birth_date'),
    col(['Gender', 'Geschlecht', 'Genre', 'Género', 'Kön'], 'gender'),
    col(['Create Date', 'Erstellungsdatum', 'Date de création', 'Fecha de creación', 'Skapandedatum'], 'signup_date'),
    col(['Contact owner', 'Kontaktinhaber', 'Propriétaire du contact', 'Propietario del contacto', 'Kontaktägare'], 'attr.contact_owner'),
    col('Primary Associated Company ID', 'attr.primary_associated_company_id'),
    col(['Last Activity Date', 'Datum der letzten Aktivität'], 'attr.last_activity_date'),
    col(['Lead Status', 'Lead-Status', 'Statut du lead', 'Estado del lead', 'Leadstatus'], 'attr.lead_status'),
    col(['Lifecycle Stage', 'Lifecycle-Phase', 'Phase du cycle de vie', 'Etapa del ciclo de vida', 'Livscykelfas'], 'attr.lifecycle_stage'),
    col(['Marketing contact status', 'Marketingkontaktstatus', 'Statut du contact marketing', 'Estado de contacto de marketing'], 'attr.marketing_contact_status'),
    col(['Industry', 'Branche', 'Secteur d\'activité', 'Sector'], 'attr.industry'),
    col('Website URL', 'attr.website'),
    col(['Unsubscribed from all email', 'Opted out of all email'], 'email_consent', { transform: { kind: 'invert-boolean' } }),
  ],
};
