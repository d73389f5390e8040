/**
 * French message catalogue: every user-facing string of the web app.
 * Domain labels (stages, statuses, actor categories) come from @agora/domain; sector and lever names from the API.
 * Another language is added as a file exporting an object of type `Messages` (see ./index.ts).
 */

import { authFr } from './fr-identity.ts';
import { votesFr } from './fr-votes.ts';
import { groupsFr } from './fr-groups.ts';

/** French plural: 0 and 1 take the singular. */
const plural = (n: number, one: string, many: string): string => (n <= 1 ? one : many);
const nf = new Intl.NumberFormat('fr-FR');

export const fr = {
  locale: 'fr-FR',

  auth: authFr,

  votes: votesFr,

  groups: groupsFr,

  app: {
    name: 'Agora COP',
    tagline: 'Ateliers des COP régionales',
    skipLink: 'Aller au contenu principal',
    homeLink: 'Agora COP — accueil',
    footer: 'Agora COP — outil d’atelier des COP régionales de la planification écologique.',
  },

  api: {
    unreachable: 'Le serveur est injoignable. Vérifiez votre connexion puis réessayez.',
    badResponse: 'Réponse inattendue du serveur.',
    httpError: (status: number) => `Erreur du serveur (code ${status}).`,
  },

  errorPage: {
    title: (status: number) => (status === 404 ? 'Page introuvable' : `Erreur ${status}`),
    notFound: 'La page demandée n’existe pas.',
    generic: 'Une erreur inattendue est survenue.',
    backHome: 'Retour à l’accueil',
    retry: 'Réessayer',
  },

  common: {
    loading: 'Chargement…',
    cancel: 'Annuler',
    close: 'Fermer',
    required: 'obligatoire',
    requiredNote: 'Les champs marqués d’un astérisque (*) sont obligatoires.',
    optional: 'facultatif',
    none: '—',
    errorSummary: (n: number) => `${n} ${plural(n, 'erreur empêche', 'erreurs empêchent')} l’enregistrement :`,
    formatDate: (iso: string) => {
      const d = new Date(`${iso}T00:00:00Z`);
      return Number.isNaN(d.getTime())
        ? iso
        : new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(d);
    },
    formatNumber: (n: number) => nf.format(n),
  },

  home: {
    title: 'Ateliers COP régionale',
    intro:
      'Créez un atelier pour votre COP régionale, puis partagez son lien ou son QR code : les participants co-écrivent le diagnostic des actions climat, levier par levier.',
    createHeading: 'Créer un atelier',
    nameLabel: 'Nom de l’atelier',
    nameHint: 'Par exemple « COP Auvergne-Rhône-Alpes — atelier mobilités ». Entre 3 et 120 caractères.',
    regionLabel: 'Région',
    regionPlaceholder: 'Choisissez une région',
    regionNoCatalogue: (name: string) => `${name} (catalogue de leviers indisponible)`,
    dateLabel: 'Date de l’atelier',
    submit: 'Créer l’atelier',
    submitting: 'Création…',
    created: (name: string) => `Atelier « ${name} » créé.`,
    listHeading: 'Ateliers existants',
    listEmpty: 'Aucun atelier pour l’instant.',
    listCaption: 'Liste des ateliers',
    colName: 'Atelier',
    colRegion: 'Région',
    colDate: 'Date',
    colStage: 'Étape',
    regionsUnavailable: 'La liste des régions est indisponible.',
    errors: {
      nameRequired: 'Indiquez le nom de l’atelier.',
      regionRequired: 'Choisissez une région.',
      dateRequired: 'Indiquez la date de l’atelier.',
    },
  },

  workshop: {
    pageTitle: (name: string) => `${name} — Agora COP`,
    regionLabel: 'Région',
    dateLabel: 'Date',
    notFound: 'Cet atelier n’existe pas ou a été supprimé.',
    catalogueUnavailable: (message: string) =>
      `Le catalogue des leviers de cette région est indisponible (${message}). Les entrées existantes restent lisibles mais aucune ne peut être ajoutée.`,
    territoriesUnavailable: (message: string) => `La liste des territoires de cette région est indisponible (${message}).`,
    backHome: 'Tous les ateliers',
    sideLabel: 'Participants et invitation',
    readOnly: 'Votre rôle dans cet atelier permet de lire le diagnostic, pas de le modifier.',
  },

  stepper: {
    label: 'Étapes de la COP',
    done: 'terminée',
    current: 'en cours',
    upcoming: 'à venir',
    position: (i: number, n: number) => `Étape ${i} sur ${n}`,
  },

  share: {
    heading: 'Inviter des participants',
    linkLabel: 'Lien de l’atelier',
    copy: 'Copier le lien',
    copied: 'Lien copié dans le presse-papiers.',
    copyFailed: 'Copie impossible : sélectionnez le lien et copiez-le manuellement.',
    qrAlt: (url: string) => `QR code du lien de l’atelier : ${url}`,
    qrFailed: 'Le QR code n’a pas pu être généré.',
    qrHint: 'Scannez ce code avec un téléphone pour rejoindre l’atelier.',
  },

  connection: {
    label: 'État de la connexion',
    connected: 'Connecté — tout est enregistré sur le serveur',
    syncing: 'Synchronisation…',
    connecting: 'Connexion…',
    reconnecting: 'Reconnexion…',
    offline: (pending: number) =>
      pending === 0
        ? 'Hors ligne — aucune modification en attente'
        : `Hors ligne — ${pending} ${plural(pending, 'modification en attente', 'modifications en attente')}, ${plural(pending, 'conservée', 'conservées')} sur cet appareil`,
    stopped: 'Déconnecté',
    pendingHint: 'Vos modifications sont conservées dans cette page et seront envoyées dès le retour de la connexion. Ne fermez pas l’onglet.',
    refused: (reason: string) =>
      `Votre dernière modification a été refusée par le serveur${reason ? ` (${reason})` : ''}. Le diagnostic a été rechargé depuis le serveur : cette modification est annulée.`,
    tooManyReloads:
      'Le serveur refuse les modifications de cette page de façon répétée. Rechargez la page ; si le problème persiste, prévenez l’animateur.',
    stopReasons: {
      4400: 'Le serveur n’a pas compris un message de cette page.',
      4401: 'Votre session n’est pas reconnue.',
      4403: 'Vous n’avez pas le droit de modifier ce diagnostic.',
      4404: 'Ce diagnostic est introuvable (atelier inconnu).',
      4410: 'Votre accès à cet atelier a été révoqué.',
    } as Record<number, string>,
    stoppedMessage: (detail: string, reason: string) =>
      `Connexion interrompue : ${detail}${reason ? ` (${reason})` : ''} Les modifications faites maintenant ne seraient pas enregistrées ; rechargez la page.`,
    stopUnknown: 'le serveur a fermé la connexion.',
    dismiss: 'Masquer ce message',
    reload: 'Recharger la page',
    beforeUnload: 'Des modifications n’ont pas encore été envoyées au serveur. Quitter la page les perdrait.',
  },

  presence: {
    heading: 'Participants connectés',
    count: (n: number) => `${n} ${plural(n, 'participant', 'participants')}`,
    you: '(vous)',
    empty: 'Personne d’autre n’est connecté pour l’instant.',
    editing: (names: string) => `En cours de modification par ${names}`,
    changeIdentity: 'Modifier mon nom',
    joinAnnounce: (name: string) => `${name} a rejoint l’atelier.`,
  },

  identity: {
    title: 'Qui êtes-vous ?',
    intro: 'Votre nom est affiché aux autres participants et signe les entrées que vous ajoutez. Il est mémorisé dans ce navigateur.',
    nameLabel: 'Votre nom',
    nameHint: 'Prénom et nom, ou comme vous souhaitez apparaître (80 caractères au plus).',
    organisationLabel: 'Votre organisation',
    organisationHint: 'Facultatif : collectivité, service de l’État, entreprise, association… Proposée par défaut dans vos entrées.',
    submit: 'Rejoindre l’atelier',
    save: 'Enregistrer',
    later: 'Plus tard (lecture seule)',
    nameRequired: 'Indiquez votre nom.',
    nameTooLong: 'Le nom doit faire au plus 80 caractères.',
    organisationTooLong: 'L’organisation doit faire au plus 120 caractères.',
    needed: 'Pour ajouter ou modifier des entrées, indiquez d’abord votre nom.',
    giveName: 'Indiquer mon nom',
    signedAs: (name: string) => `Vous participez en tant que ${name}.`,
  },

  diagnostic: {
    heading: 'Diagnostic des actions',
    intro:
      'Recensez les actions réalisées, en cours ou prévues sur le territoire régional, rattachées aux leviers de la planification écologique (SGPE). Les modifications sont partagées en direct avec tous les participants.',
    loadingDoc: 'Chargement du diagnostic…',
    add: 'Ajouter une entrée',
    addHeading: 'Nouvelle entrée',
    empty: 'Aucune entrée pour l’instant. Ajoutez la première action connue sur votre territoire.',
    emptyFiltered: 'Aucune entrée ne correspond à ces filtres.',
    count: (shown: number, total: number) =>
      shown === total
        ? `${total} ${plural(total, 'entrée', 'entrées')}`
        : `${shown} ${plural(shown, 'entrée affichée', 'entrées affichées')} sur ${total}`,
    leverCount: (n: number) => `${n} ${plural(n, 'entrée', 'entrées')}`,
    unknownSector: 'Autres leviers',
    unknownLever: (id: string) => `Levier ${id}`,
    added: (title: string) => `Entrée « ${title} » ajoutée.`,
    updated: (title: string) => `Entrée « ${title} » modifiée.`,
    unchanged: 'Aucun champ modifié.',
    deleted: (title: string) => `Entrée « ${title} » supprimée.`,
    remoteAdded: (author: string, title: string) => `Nouvelle entrée de ${author} : « ${title} ».`,
    remoteAddedMany: (n: number) => `${n} nouvelles entrées ajoutées par d’autres participants.`,
    deletedWhileEditing: 'Cette entrée a été supprimée par un autre participant : vos modifications ne peuvent plus être enregistrées.',
    catalogueSource: (caveat: string, licence: string) => `Source du catalogue : ${caveat} Licence : ${licence}.`,
    readOnlyStopped: 'Modification impossible : la connexion au serveur est interrompue.',
  },

  filters: {
    heading: 'Filtrer les entrées',
    territory: 'Territoire',
    status: 'Statut',
    organisation: 'Organisation',
    all: 'Tous',
    allFem: 'Toutes',
    reset: 'Réinitialiser les filtres',
    crteIncludesEpci: 'Un CRTE inclut les entrées de ses EPCI.',
  },

  territory: {
    region: 'Région',
    departements: 'Départements',
    epcis: 'EPCI',
    crtes: 'CRTE (contrats pour la réussite de la transition écologique)',
    regionOption: (name: string) => `Région ${name}`,
    departementOption: (name: string, code: string) => `${name} (${code})`,
    crteOption: (name: string) => `CRTE ${name}`,
    unknown: (ref: string) => `Territoire ${ref}`,
  },

  entryForm: {
    addLegend: 'Nouvelle entrée du diagnostic',
    editLegend: (title: string) => `Modifier l’entrée « ${title} »`,
    lever: 'Levier',
    leverPlaceholder: 'Choisissez un levier',
    territory: 'Territoire',
    territoryPlaceholder: 'Choisissez un territoire',
    organisation: 'Organisation porteuse',
    organisationHint: 'Qui porte l’action (collectivité, entreprise, association…).',
    status: 'Statut',
    title: 'Intitulé de l’action',
    description: 'Description',
    descriptionHint: 'Ce qui est fait, avec quels moyens, et son état d’avancement (5 000 caractères au plus).',
    effectLegend: 'Effet quantifié',
    effectHint: 'Facultatif. Utilisez la virgule ou le point pour les décimales.',
    effectValue: 'Valeur',
    effectUnit: 'Unité',
    effectUnitHint: 'Par exemple : km de pistes cyclables, logements rénovés, MWh.',
    effectKtCO2e: 'Effet en ktCO₂e par an',
    effectKtCO2eHint: 'Émissions évitées ou séquestrées, en milliers de tonnes équivalent CO₂ par an.',
    yearsLegend: 'Période',
    yearStart: 'Année de début',
    yearEnd: 'Année de fin',
    yearHint: 'Quatre chiffres, par exemple 2024.',
    source: 'Source ou lien',
    sourceHint: 'Adresse web (https://…) ou référence d’un document.',
    save: 'Enregistrer l’entrée',
    saveChanges: 'Enregistrer les modifications',
    cancel: 'Annuler',
    author: (name: string) => `L’entrée sera signée : ${name}.`,
    remoteChanged: 'Un autre participant a modifié cette entrée pendant que vous l’éditiez : seuls les champs que vous avez changés seront enregistrés.',
    noCatalogue: 'Aucun levier disponible pour cette région.',
  },

  entryCard: {
    status: 'Statut',
    organisation: 'Organisation',
    territory: 'Territoire',
    years: 'Période',
    yearsRange: (start: number | null, end: number | null) =>
      start !== null && end !== null
        ? start === end
          ? `${start}`
          : `${start} – ${end}`
        : start !== null
          ? `depuis ${start}`
          : end !== null
            ? `jusqu’en ${end}`
            : '',
    effect: 'Effet',
    ktCO2e: (n: string) => `${n} ktCO₂e/an`,
    source: 'Source',
    sourceLink: 'Ouvrir la source',
    newTab: '(nouvel onglet)',
    newBadge: 'Nouveau',
    author: 'Ajoutée par',
    description: 'Description',
    edit: 'Modifier',
    editLabel: (title: string) => `Modifier l’entrée « ${title} »`,
    delete: 'Supprimer',
    deleteLabel: (title: string) => `Supprimer l’entrée « ${title} »`,
    confirmDelete: (title: string) => `Supprimer définitivement l’entrée « ${title} » pour tous les participants ?`,
    confirmYes: 'Oui, supprimer',
    confirmNo: 'Non, garder',
  },

  validation: {
    required: (field: string) => `${field} : champ obligatoire.`,
    tooLong: (field: string, max: number) => `${field} : ${max} caractères au plus.`,
    notANumber: (field: string) => `${field} : saisissez un nombre (par exemple 12,5).`,
    notAYear: (field: string) => `${field} : saisissez une année à quatre chiffres.`,
    yearRange: (field: string, min: number, max: number) => `${field} : année comprise entre ${min} et ${max}.`,
    magnitude: (field: string) => `${field} : valeur trop grande, vérifiez l’unité.`,
    yearOrder: 'L’année de fin précède l’année de début.',
    invalid: (field: string, message: string) => `${field} : ${message}`,
    unknownLever: 'Ce levier n’appartient pas au catalogue de la région.',
    unknownTerritory: 'Ce territoire n’appartient pas à la région.',
  },
};
