/**
 * French messages of identity: sign-in, first-run setup, the account page, joining by link, a workshop's people and
 * invitation links, the workshop navigation and the "access lost" notices. Wired into `fr` as `fr.auth`.
 * Role, category and college labels come from @agora/domain (ROLE_LABELS, ACTOR_CATEGORY_LABELS, COLLEGE_LABELS).
 */

/** French plural: 0 and 1 take the singular. */
const plural = (n: number, one: string, many: string): string => (n <= 1 ? one : many);

const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short' });
const time = new Intl.DateTimeFormat('fr-FR', { timeStyle: 'medium' });

export const authFr = {
  formatDateTime: (iso: string) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
  },

  header: {
    label: 'Votre compte',
    signedInAs: (name: string) => `Connecté·e : ${name}`,
    participant: 'Participant·e par lien d’invitation',
    account: 'Mon compte',
    signIn: 'Se connecter',
    signOut: 'Se déconnecter',
    signingOut: 'Déconnexion…',
    signOutFailed: (message: string) => `La déconnexion a échoué : ${message}`,
  },

  fields: {
    email: 'Adresse e-mail',
    emailHint: 'Par exemple prenom.nom@exemple.fr.',
    password: 'Mot de passe',
    passwordHint: '12 caractères au moins. Une phrase de plusieurs mots est plus facile à retenir et plus sûre.',
    passwordConfirm: 'Confirmation du mot de passe',
    passwordConfirmHint: 'Saisissez à nouveau le même mot de passe.',
    showPassword: 'Afficher le mot de passe',
    name: 'Nom',
    nameHint: 'Prénom et nom, tels qu’ils seront affichés aux autres participants (80 caractères au plus).',
    organisation: 'Organisation',
    organisationHint: 'Collectivité, service de l’État, entreprise, association… (200 caractères au plus).',
    category: 'Catégorie d’acteur',
    categoryHint: 'Détermine votre collège (État, collectivités, acteurs économiques, société civile).',
    categoryPlaceholder: 'Choisissez une catégorie',
  },

  errors: {
    emailRequired: 'Indiquez l’adresse e-mail.',
    emailInvalid: 'Adresse e-mail invalide.',
    passwordRequired: 'Indiquez le mot de passe.',
    passwordTooShort: 'Le mot de passe doit faire au moins 12 caractères.',
    passwordTooLong: 'Le mot de passe doit faire au plus 256 caractères.',
    passwordMismatch: 'Les deux mots de passe ne sont pas identiques.',
    nameRequired: 'Indiquez le nom.',
    nameTooLong: 'Le nom doit faire au plus 80 caractères.',
    organisationRequired: 'Indiquez l’organisation.',
    organisationTooLong: 'L’organisation doit faire au plus 200 caractères.',
    categoryRequired: 'Choisissez une catégorie d’acteur.',
    /** Capitalises a server message (the server writes them in lower case) and ends it with a full stop. */
    server: (message: string) => {
      const m = message.trim();
      if (!m) return m;
      const s = m[0]!.toUpperCase() + m.slice(1);
      return /[.!?…]$/.test(s) ? s : `${s}.`;
    },
  },

  signIn: {
    title: 'Connexion',
    intro: 'Espace des organisateurs (animateurs, co-présidences, administrateurs).',
    participantHint:
      'Vous participez à un atelier sans compte ? Rouvrez le lien d’invitation reçu (ou scannez à nouveau le QR code) : aucun mot de passe n’est nécessaire.',
    submit: 'Se connecter',
    submitting: 'Connexion…',
    setupNeeded: 'Aucun compte n’existe encore sur cet outil.',
    setupLink: 'Première utilisation ? Configurer l’outil',
    redirectNotice: 'Connectez-vous pour accéder à cette page.',
    signedOut: 'Vous êtes déconnecté·e.',
    alreadySignedIn: (name: string) => `Vous êtes déjà connecté·e en tant que ${name}.`,
    continue: 'Continuer',
  },

  setup: {
    title: 'Configuration de l’outil',
    intro:
      'Première utilisation : créez le compte du premier administrateur. Il pourra ensuite créer les comptes des organisateurs et des ateliers.',
    done: 'La configuration initiale est déjà faite : connectez-vous avec votre compte.',
    submit: 'Créer le compte administrateur',
    submitting: 'Création…',
    legendIdentity: 'Identité',
    legendPassword: 'Mot de passe',
  },

  account: {
    title: 'Mon compte',
    identityHeading: 'Identité',
    email: 'Adresse e-mail',
    name: 'Nom',
    organisation: 'Organisation',
    category: 'Catégorie',
    role: 'Rôle sur l’outil',
    admin: 'Administrateur·rice',
    organiser: 'Organisateur·rice',
    passwordHeading: 'Changer le mot de passe',
    passwordIntro: 'Vos autres appareils seront déconnectés ; celui-ci reste connecté.',
    currentPassword: 'Mot de passe actuel',
    newPassword: 'Nouveau mot de passe',
    newPasswordConfirm: 'Confirmation du nouveau mot de passe',
    currentPasswordRequired: 'Indiquez votre mot de passe actuel.',
    passwordSubmit: 'Changer le mot de passe',
    passwordSubmitting: 'Enregistrement…',
    passwordChanged: 'Mot de passe changé. Vos autres appareils ont été déconnectés.',
    sessionsHeading: 'Sessions',
    signOutIntro: 'Se déconnecter de ce navigateur seulement.',
    signOut: 'Se déconnecter',
    signOutAllIntro:
      'Se déconnecter de tous les appareils (ordinateurs, téléphones, tablettes) : utile en cas de perte d’un appareil ou après un atelier sur un poste partagé.',
    signOutAll: 'Se déconnecter de tous les appareils',
    signOutAllConfirm: 'Fermer toutes vos sessions, y compris celle-ci ?',
    signOutAllYes: 'Oui, tout déconnecter',
    signOutAllNo: 'Non, annuler',
    accountsHeading: 'Comptes des organisateurs',
    accountsIntro:
      'Créez un compte pour chaque organisateur (animateur, co-présidence). Transmettez-lui son mot de passe provisoire par un canal sûr : il le changera depuis « Mon compte ».',
    createHeading: 'Créer un compte',
    temporaryPassword: 'Mot de passe provisoire',
    isAdmin: 'Administrateur (peut créer des comptes et voit tous les ateliers)',
    createSubmit: 'Créer le compte',
    createSubmitting: 'Création…',
    created: (name: string, email: string) => `Compte de ${name} (${email}) créé.`,
    listCaption: 'Comptes existants',
    colName: 'Nom',
    colEmail: 'Adresse e-mail',
    colOrganisation: 'Organisation',
    colRole: 'Rôle',
    colCreated: 'Créé le',
    listEmpty: 'Aucun compte.',
  },

  join: {
    title: 'Rejoindre un atelier',
    loading: 'Vérification du lien d’invitation…',
    invitedTo: 'Vous êtes invité·e à l’atelier',
    date: 'Date',
    role: 'Votre rôle',
    noAccount:
      'Aucun compte ni aucune adresse e-mail ne sont nécessaires. Indiquez simplement comment vous présenter aux autres participants.',
    browserOnly:
      'Votre identité reste dans ce navigateur : pour revenir à l’atelier, utilisez le même navigateur sur le même appareil, ou rouvrez ce lien.',
    roleHelp: {
      participant: 'En tant que participant·e, vous pouvez lire et compléter le diagnostic et voter.',
      observateur: 'En tant qu’observateur·rice, vous pouvez suivre l’atelier sans le modifier.',
    } as Record<string, string>,
    submit: 'Rejoindre l’atelier',
    submitting: 'Connexion à l’atelier…',
    unusable: 'Ce lien ne permet plus de rejoindre l’atelier.',
    askOrganiser: 'Demandez un nouveau lien à l’animateur ou à l’animatrice de l’atelier.',
    unknownLink: 'Ce lien d’invitation est inconnu. Vérifiez qu’il a été copié en entier.',
    alreadyMember: 'Vous faites déjà partie de cet atelier : ouverture…',
    openWorkshop: 'Ouvrir l’atelier',
  },

  nav: {
    label: 'Sections de l’atelier',
    diagnostic: 'Diagnostic',
    people: 'Personnes',
    invitations: 'Invitations',
  },

  workshopAccess: {
    notFound: 'Cet atelier n’existe pas, ou vous n’en êtes pas membre. Si vous avez été invité·e, rouvrez votre lien d’invitation.',
    forbidden: 'Votre rôle dans cet atelier ne donne pas accès à cette page.',
  },

  people: {
    title: 'Personnes',
    pageTitle: (workshop: string) => `Personnes — ${workshop} — Agora COP`,
    intro: 'Les personnes membres de l’atelier, leur collège et leur rôle. La liste se met à jour toutes les 10 secondes.',
    cochairsHeading: 'Co-présidence',
    cochairsIntro: 'Chaque COP régionale est co-présidée par l’État et par la Région.',
    vacant: 'Siège vacant',
    seatThis: (seat: string) => `Attribuer le siège ${seat}`,
    listHeading: 'Membres',
    listCaption: 'Membres de l’atelier',
    count: (n: number, online: number) =>
      `${n} ${plural(n, 'personne', 'personnes')}, dont ${online} en ligne`,
    colName: 'Nom',
    colOrganisation: 'Organisation',
    colCategory: 'Catégorie',
    colCollege: 'Collège',
    colRole: 'Rôle',
    colOnline: 'Présence',
    colActions: 'Actions',
    online: 'en ligne',
    offline: 'hors ligne',
    you: '(vous)',
    joinedByLink: 'par lien',
    organiserAccount: 'compte organisateur',
    roleSelect: (name: string) => `Rôle de ${name}`,
    applyRole: 'Appliquer',
    applyRoleLabel: (name: string, role: string) => `Appliquer le rôle ${role} à ${name}`,
    roleChanged: (name: string, role: string) => `${name} est désormais ${role}.`,
    remove: 'Retirer',
    removeLabel: (name: string) => `Retirer ${name} de l’atelier`,
    removeConfirm: (name: string) => `Retirer ${name} de l’atelier ? Sa connexion sera fermée immédiatement.`,
    removeYes: 'Oui, retirer',
    removeNo: 'Non, garder',
    removed: (name: string) => `${name} a été retiré·e de l’atelier.`,
    empty: 'Personne pour l’instant.',
    updatedAt: (iso: string) => `Mis à jour à ${time.format(new Date(iso))}`,
    refreshFailed: (message: string) => `Mise à jour impossible : ${message}`,
    seatHeading: 'Ajouter un organisateur',
    seatIntro:
      'Placez dans l’atelier un organisateur qui a déjà un compte (co-présidence ou animation). Les participants rejoignent, eux, par un lien d’invitation.',
    seatEmail: 'Adresse e-mail de son compte',
    seatRole: 'Rôle dans l’atelier',
    seatRolePlaceholder: 'Choisissez un rôle',
    seatSubmit: 'Ajouter à l’atelier',
    seatSubmitting: 'Ajout…',
    seated: (name: string, role: string) => `${name} a été ajouté·e comme ${role}.`,
    seatRoleRequired: 'Choisissez un rôle.',
    invitationsLink: 'Inviter des participants par lien',
  },

  invitations: {
    title: 'Invitations',
    pageTitle: (workshop: string) => `Invitations — ${workshop} — Agora COP`,
    intro:
      'Un lien d’invitation permet de rejoindre l’atelier sans compte : la personne indique son nom, son organisation et sa catégorie. Projetez son QR code en début d’atelier.',
    createHeading: 'Créer un lien d’invitation',
    role: 'Rôle donné',
    label: 'Libellé',
    labelHint: 'Facultatif, pour vous y retrouver : « Salle plénière », « Table ronde mobilités »… (80 caractères au plus).',
    labelTooLong: 'Le libellé doit faire au plus 80 caractères.',
    expiry: 'Validité',
    expiryHint: 'Entre 1 heure et 60 jours.',
    expiryValue: 'Durée de validité',
    expiryUnit: 'Unité',
    hours: 'heures',
    days: 'jours',
    expiryInvalid: 'Indiquez une durée entière entre 1 heure et 60 jours.',
    maxUses: 'Nombre maximal d’utilisations',
    maxUsesHint: 'Facultatif : laissez vide pour ne pas limiter (10 000 au plus).',
    maxUsesInvalid: 'Indiquez un nombre entier entre 1 et 10 000, ou laissez vide.',
    submit: 'Créer le lien',
    submitting: 'Création…',
    created: 'Lien d’invitation créé.',
    listHeading: 'Liens d’invitation',
    empty: 'Aucun lien d’invitation pour l’instant.',
    untitled: 'Lien sans libellé',
    uses: 'Utilisations',
    usesValue: (uses: number, max: number | null) => (max === null ? `${uses} (sans limite)` : `${uses} sur ${max}`),
    expires: 'Expire le',
    expired: 'A expiré le',
    roleLabel: 'Rôle',
    state: 'État',
    states: {
      valid: 'Valide',
      expired: 'Expiré',
      exhausted: 'Épuisé',
      revoked: 'Révoqué',
    } as Record<string, string>,
    link: 'Lien à partager',
    linkLabel: (label: string) => `Lien d’invitation « ${label} »`,
    copy: 'Copier le lien',
    copyLabel: (label: string) => `Copier le lien « ${label} »`,
    copied: 'Lien copié dans le presse-papiers.',
    copyFailed: 'Copie impossible : sélectionnez le lien et copiez-le manuellement.',
    qrAlt: (label: string, url: string) => `QR code du lien d’invitation « ${label} » : ${url}`,
    qrFailed: 'Le QR code n’a pas pu être généré.',
    project: 'Projeter le QR code',
    projectLabel: (label: string) => `Projeter le QR code du lien « ${label} » en plein écran`,
    projectTitle: 'Scannez pour rejoindre l’atelier',
    projectClose: 'Fermer',
    revoke: 'Révoquer',
    revokeLabel: (label: string) => `Révoquer le lien « ${label} »`,
    revokeConfirm: (label: string) =>
      `Révoquer le lien « ${label} » ? Plus personne ne pourra l’utiliser, et les personnes qui l’ont utilisé perdront immédiatement leur accès à l’atelier.`,
    revokeYes: 'Oui, révoquer',
    revokeNo: 'Non, garder',
    revoked: (label: string, n: number) =>
      n === 0
        ? `Lien « ${label} » révoqué.`
        : `Lien « ${label} » révoqué : ${n} ${plural(n, 'personne a perdu', 'personnes ont perdu')} l’accès.`,
    unusableHint: 'Ce lien ne fonctionne plus.',
  },

  invitePanel: {
    heading: 'Inviter des participants',
    text: 'Les participants rejoignent l’atelier par un lien d’invitation (avec son QR code), sans compte ni adresse e-mail.',
    link: 'Gérer les liens d’invitation',
  },

  /** Why the live connection was closed for good (codes 4401, 4403, 4410) and what to do. */
  accessLost: {
    codes: {
      4401: {
        title: 'Votre session a expiré',
        text: 'Le serveur ne reconnaît plus votre session : vos modifications ne sont plus enregistrées.',
        action: 'Se reconnecter',
        participantHint: 'Si vous avez rejoint l’atelier par un lien d’invitation, rouvrez ce lien.',
      },
      4403: {
        title: 'Accès retiré',
        text: 'Vous n’avez plus accès à cet atelier (vous en avez été retiré·e, ou votre rôle ne le permet plus).',
        action: 'Retour à l’accueil',
        participantHint: '',
      },
      4410: {
        title: 'Accès révoqué',
        text: 'Votre accès à cet atelier a été révoqué : l’invitation ou la session qui vous y donnait accès a été fermée.',
        action: 'Retour à l’accueil',
        participantHint: 'Si c’est une erreur, demandez un nouveau lien à l’animateur ou à l’animatrice.',
      },
    } as Record<number, { title: string; text: string; action: string; participantHint: string }>,
    reason: (reason: string) => `Motif indiqué par le serveur : ${reason}.`,
    stopped: 'La connexion en direct est arrêtée et ne sera pas rétablie automatiquement.',
  },

  home: {
    signedOutTitle: 'Agora COP',
    signedOutIntro:
      'L’outil d’atelier en direct des COP régionales : État, Région, collectivités, entreprises, chambres consulaires et société civile y co-écrivent le diagnostic des actions climat, levier par levier, puis débattent et votent.',
    signedOutParticipants:
      'Vous êtes participant·e ? Ouvrez le lien d’invitation (ou scannez le QR code) donné par l’animateur : aucun compte n’est nécessaire.',
    signedOutOrganisers: 'Vous organisez un atelier ? Connectez-vous avec votre compte d’organisateur.',
    firstRun: 'Première utilisation ? Configurer l’outil',
    participantTitle: 'Mes ateliers',
    participantIntro: 'Les ateliers que vous avez rejoints depuis ce navigateur.',
    participantEmpty: 'Vous n’avez rejoint aucun atelier depuis ce navigateur. Ouvrez votre lien d’invitation pour rejoindre un atelier.',
    creatorRole: 'Votre rôle dans l’atelier',
    creatorRoleHint: 'Vous pourrez ensuite ajouter les autres organisateurs depuis la page « Personnes ».',
    myWorkshops: 'Mes ateliers',
    allWorkshops: 'Tous les ateliers',
  },
};
