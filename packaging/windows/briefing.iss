; Inno Setup script: the Windows installer for Briefing.
;
; Needs Inno Setup 6.4.1 or later (its Arabic translation ships with the compiler from
; that version on; Inno Setup 7 reads this script unchanged). Build the bundle first
; (pyinstaller packaging\briefing.spec, giving dist\briefing), then from the checkout root:
;
;   iscc /DAppVersion=0.1.0 packaging\windows\briefing.iss
;
; which writes dist\Briefing-0.1.0-setup.exe. Without /DAppVersion the version is read
; from the version resource of dist\briefing\briefing-app.exe.
;
; Installs per user (no administrator rights) by default; the first page offers an
; installation for all users instead. Uninstalling removes the program folder and the
; file association; the user's settings, own templates, autosaves and chart cache stay
; unless the user says otherwise when asked. Saved .brief files and exports are never touched.

#if VER < EncodeVer(6, 4, 1)
  #error Inno Setup 6.4.1 or later is needed (for compiler:Languages\Arabic.isl)
#endif

#define AppName "Briefing"
#define AppExe "briefing-app.exe"
#define ProgId "Briefing.Project"
#define BriefExtension ".brief"

#ifndef BundleDir
  #define BundleDir AddBackslash(SourcePath) + "..\..\dist\briefing"
#endif
#ifndef OutputDir
  #define OutputDir AddBackslash(SourcePath) + "..\..\dist"
#endif
#ifndef AppVersion
  #define AppVersion GetVersionNumbersString(AddBackslash(BundleDir) + AppExe)
#endif
#if AppVersion == ""
  #error No version: pass /DAppVersion=X.Y.Z or build dist\briefing first
#endif

[Setup]
; The AppId identifies Briefing to Windows for upgrades and uninstalling: never change it.
AppId={{A88A7618-5DDE-498E-BDA9-217D270D7264}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
; Numeric, from the program's own version resource (AppVersion may carry "rc1" and the like).
VersionInfoVersion={#GetVersionNumbersString(AddBackslash(BundleDir) + AppExe)}
VersionInfoProductName={#AppName}
DefaultDirName={autopf}\{#AppName}
; The Start-menu entry goes straight into Programs, without a folder of its own.
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
; Qt 6 runs on 64-bit Windows 10 and later only.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
ChangesAssociations=yes
CloseApplications=yes
SetupIconFile=..\icons\briefing.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir={#OutputDir}
OutputBaseFilename=Briefing-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
LanguageDetectionMethod=uilanguage

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "ar"; MessagesFile: "compiler:Languages\Arabic.isl"

[CustomMessages]
en.BriefFileType=Briefing project
ar.BriefFileType=مشروع موجز Briefing
en.RemoveUserData=Also delete your Briefing settings, your own templates, autosaved briefs and the chart cache?%n%nBriefs you saved (.brief files) and exported PDF and Word documents are not affected.
ar.RemoveUserData=هل تريد أيضاً حذف إعدادات Briefing وقوالبك الخاصة والموجزات المحفوظة تلقائياً وذاكرة الرسوم البيانية المؤقتة؟%n%nلن تتأثر الموجزات التي حفظتها (ملفات ‎.brief‎) ولا مستندات PDF وWord المصدَّرة.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "association"; Description: "{cm:AssocFileExtension,{#AppName},{#BriefExtension}}"

[InstallDelete]
; An upgrade replaces the whole bundle, so that no module of an older version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; HKA is HKCU for a per-user installation and HKLM for an all-users one.
Root: HKA; Subkey: "Software\Classes\{#BriefExtension}"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue; Tasks: association
Root: HKA; Subkey: "Software\Classes\{#BriefExtension}"; ValueType: string; ValueName: "Content Type"; ValueData: "application/vnd.briefing+json"; Flags: uninsdeletevalue; Tasks: association
Root: HKA; Subkey: "Software\Classes\{#BriefExtension}\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue; Tasks: association
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "{cm:BriefFileType}"; Flags: uninsdeletekey; Tasks: association
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"; Tasks: association
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: association
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: "{#BriefExtension}"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Files the programs may have written beside themselves; then the folder, if nothing else is left.
Type: filesandordirs; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"

[Code]
const
  // Where platformdirs and QSettings keep Briefing's per-user data on Windows:
  // %LOCALAPPDATA%\Briefing\Briefing (templates, autosave, Cache\charts) and
  // HKCU\Software\Briefing\Briefing (settings).
  UserDataFolder = '{localappdata}\Briefing';
  SettingsKey = 'Software\Briefing';

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Folder: String;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  Folder := ExpandConstant(UserDataFolder);
  if not DirExists(Folder) and not RegKeyExists(HKEY_CURRENT_USER, SettingsKey) then
    Exit;
  // A silent uninstall (software deployment) never deletes what the user made.
  if UninstallSilent then
    Exit;
  if MsgBox(CustomMessage('RemoveUserData'), mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
  begin
    DelTree(Folder, True, True, True);
    RegDeleteKeyIncludingSubkeys(HKEY_CURRENT_USER, SettingsKey);
  end;
end;
